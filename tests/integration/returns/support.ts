import type { AppLoadContext } from "@remix-run/node";
import { addDays } from "~/domain/returns/returns.rules";
import { csvColumns } from "~/domain/returns/returns.schema";
import { parisDay } from "~/domain/windows/windows.rules";
import { routeContext, staffRequest, type TestStaff } from "../../support/staff";

export const context = routeContext as AppLoadContext;

/** What a handler returned or threw (guards throw Responses). */
export async function call<T>(fn: () => Promise<T>): Promise<T | Response> {
  try {
    return await fn();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** The Paris day `n` days from today. */
export const daysAgo = (n: number) => addDays(parisDay(new Date()), -n);

export type CsvLine = Partial<Record<(typeof csvColumns)[number], string>>;

/** A line of a returns CSV: someone who arrived 20 days ago, removal directions served. */
export const returnLine = (changes: CsvLine = {}): CsvLine => ({
  person_ref: "RET-0001",
  full_name: "Tesfay Berhane",
  date_of_birth: "1996-05-14",
  nationality: "ER",
  document_number: "",
  age_category: "adult",
  small_boat_arrival_date: daysAgo(20),
  stage: "removal_directions",
  readmission_requested_date: daysAgo(18),
  france_responded_date: daysAgo(10),
  removal_directions_date: daysAgo(5),
  transferred_date: "",
  note: "",
  ...changes,
});

const cell = (value = "") => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** A CSV file with every column, as the import page describes it. */
export const csvOf = (lines: CsvLine[]) =>
  [csvColumns.join(","), ...lines.map((l) => csvColumns.map((c) => cell(l[c])).join(","))].join("\n");

/** The upload form as a browser posts it: multipart, with the CSRF token. */
export function uploadRequest(
  staff: Pick<TestStaff, "cookie">,
  content: string,
  name = "returns.csv",
  type = "text/csv",
) {
  const signedIn = staffRequest(staff, "/staff/returns/import");
  const form = new FormData();
  form.set("csrf", "test-csrf-token");
  form.set("file", new File([content], name, { type }));
  return new Request(signedIn.url, {
    method: "POST",
    headers: { Cookie: signedIn.headers.get("Cookie") ?? "", Origin: "http://localhost" },
    body: form,
  });
}
