import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { codesOf } from "~/domain/forms/fields";
import { decodeCsv, parseReturnsCsv } from "~/domain/returns/csv.server";
import { stageChangeExtraCodes, stageChangeFields } from "~/domain/returns/returns.pages";
import {
  csvColumns,
  lineErrorCodes,
  returnLineSchema,
  stageChangeSchema,
} from "~/domain/returns/returns.schema";
import { repoRoot } from "../../support/test-env";

const TODAY = "2026-03-20";
const valid = {
  person_ref: "RET-2026-0001",
  full_name: "Abdel-Karim El Hadi",
  date_of_birth: "1994-07-02",
  nationality: "sd",
  document_number: "",
  age_category: "",
  small_boat_arrival_date: "2026-02-01",
  stage: "removal_directions",
  readmission_requested_date: "2026-02-03",
  france_responded_date: "2026-02-12",
  removal_directions_date: "2026-02-20",
  transferred_date: "",
  note: "",
};

/** The problems of a line as "column: code". */
function problems(changes: Record<string, string>): string[] {
  const parsed = returnLineSchema(TODAY).safeParse({ ...valid, ...changes });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
}

describe("a line of a returns CSV", () => {
  it("becomes a return, with empty optional values as not given and the nationality in capitals", () => {
    const parsed = returnLineSchema(TODAY).parse(valid);
    expect(parsed).toEqual({
      personRef: "RET-2026-0001",
      fullName: "Abdel-Karim El Hadi",
      dateOfBirth: "1994-07-02",
      nationality: "SD",
      documentNumber: null,
      ageCategory: null,
      arrivalDay: "2026-02-01",
      stage: "removal_directions",
      dates: {
        readmissionRequestedAt: "2026-02-03",
        franceRespondedAt: "2026-02-12",
        removalDirectionsAt: "2026-02-20",
        transferredAt: null,
      },
      note: null,
    });
    expect(returnLineSchema(TODAY).parse({ ...valid, nationality: "Stateless" }).nationality).toBe(
      "stateless",
    );
  });

  it.each([
    [{ date_of_birth: "1994-02-30" }, "date_of_birth: invalid"],
    [{ date_of_birth: "02/07/1994" }, "date_of_birth: invalid"],
    [{ date_of_birth: "2026-03-21" }, "date_of_birth: future"],
    [{ person_ref: "" }, "person_ref: required"],
    [{ person_ref: "RET 1" }, "person_ref: invalid"],
    [{ full_name: "x".repeat(201) }, "full_name: tooLong"],
    [{ nationality: "XX" }, "nationality: invalid"],
    [{ age_category: "child" }, "age_category: invalid"],
    [{ stage: "detained" }, "stage: invalid"],
    // Names every object has are not stages (found by tests/fuzz/schemas.test.ts: it threw).
    [{ stage: "constructor" }, "stage: invalid"],
    [{ stage: "__proto__" }, "stage: invalid"],
    [{ stage: "transferred" }, "transferred_date: required"],
    [{ transferred_date: "2026-03-01" }, "transferred_date: notForStage"],
    [{ readmission_requested_date: "2026-01-31" }, "readmission_requested_date: beforeArrival"],
    [{ removal_directions_date: "2026-03-21" }, "removal_directions_date: future"],
    [{ stage: "deferred" }, "note: required"],
    [{ stage: "france_refused", removal_directions_date: "", note: "Security grounds" }, null],
  ])("%j gives %s", (changes, expected) => {
    expect(problems(changes)).toEqual(expected ? [expected] : []);
  });

  it("reports every problem of the line at once", () => {
    expect(problems({ full_name: "", date_of_birth: "soon", small_boat_arrival_date: "" })).toEqual([
      "full_name: required",
      "date_of_birth: invalid",
      "small_boat_arrival_date: required",
    ]);
  });

  it("has a message in every language for every error each column can have", () => {
    for (const lang of ["en", "fr", "ar"]) {
      const texts = JSON.parse(readFileSync(join(repoRoot, "locales", lang, "returns.json"), "utf8")) as {
        lineErrors: Record<string, Record<string, string>>;
      };
      for (const column of csvColumns)
        expect(Object.keys(texts.lineErrors[column] ?? {}).sort(), `${lang} ${column}`).toEqual(
          [...lineErrorCodes[column]].sort(),
        );
    }
  });
});

describe("a returns CSV file", () => {
  const header = Object.keys(valid).join(",");
  const row = (changes: Record<string, string> = {}) => Object.values({ ...valid, ...changes }).join(",");

  it("must be a .csv (or text/csv) file of UTF-8 text, a byte order mark allowed", () => {
    const bytes = new TextEncoder().encode(`\uFEFF${header}\n${row()}\n`);
    expect(decodeCsv({ name: "returns.CSV", type: "", bytes }).ok).toBe(true);
    expect(decodeCsv({ name: "export", type: "text/csv", bytes }).ok).toBe(true);
    expect(decodeCsv({ name: "returns.xlsx", type: "application/vnd.ms-excel", bytes })).toEqual({
      ok: false,
      problem: { code: "not_csv" },
    });
    const latin1 = new Uint8Array([...new TextEncoder().encode("person_ref\nRÉT"), 0xe9]);
    expect(decodeCsv({ name: "r.csv", type: "text/csv", bytes: latin1 })).toEqual({
      ok: false,
      problem: { code: "not_text" },
    });
    expect(
      decodeCsv({ name: "r.csv", type: "text/csv", bytes: new Uint8Array([80, 75, 3, 4, 0, 0]) }),
    ).toEqual({
      ok: false,
      problem: { code: "not_text" },
    });
  });

  it("names its columns on the first line, in any order, with the required ones", () => {
    const text = `\uFEFF${[...Object.keys(valid)].reverse().join(",")}\n${Object.values(valid).reverse().join(",")}\n`;
    const parsed = parseReturnsCsv(text, TODAY);
    expect(parsed.ok && parsed.lines[0]?.data?.personRef).toBe("RET-2026-0001");
    expect(parseReturnsCsv("person_ref,full_name\nA,B\n", TODAY)).toEqual({
      ok: false,
      problem: {
        code: "missing_columns",
        columns: "date_of_birth, nationality, small_boat_arrival_date, stage",
      },
    });
    expect(parseReturnsCsv(`${header},transfered_date\n`, TODAY)).toEqual({
      ok: false,
      problem: { code: "unknown_columns", columns: "transfered_date" },
    });
    expect(parseReturnsCsv(`${header},note\n`, TODAY)).toMatchObject({
      problem: { code: "duplicate_columns" },
    });
    expect(parseReturnsCsv(`${header}\n\n`, TODAY)).toEqual({ ok: false, problem: { code: "no_lines" } });
    expect(parseReturnsCsv("", TODAY)).toEqual({ ok: false, problem: { code: "no_header" } });
    expect(parseReturnsCsv(`${header}\n"RET-1,x\n`, TODAY)).toEqual({
      ok: false,
      problem: { code: "malformed", line: 2 },
    });
  });

  it("numbers lines as an editor does (blank lines and notes over two lines included), and refuses a reference used twice", () => {
    const text = [
      header,
      row({ person_ref: "A-1" }),
      "",
      row({ person_ref: "A-2", stage: "deferred", note: '"Judicial review,\nhearing set"' }),
      row({ person_ref: "A-3", date_of_birth: "1994-13-01" }),
      row({ person_ref: "A-1" }),
    ].join("\r\n");
    const parsed = parseReturnsCsv(text, TODAY);
    if (!parsed.ok) throw new Error("not parsed");
    expect(parsed.lines.map((l) => [l.line, l.data?.personRef ?? null, l.errors.map((e) => e.code)])).toEqual(
      [
        [2, "A-1", []],
        [4, "A-2", []],
        [6, null, ["invalid"]],
        [7, null, ["duplicate"]],
      ],
    );
    expect(parsed.lines[1]?.data?.note).toBe("Judicial review,\nhearing set");
    expect(parsed.lines[2]?.errors).toEqual([{ line: 6, field: "date_of_birth", code: "invalid" }]);
  });
});

describe("the stage change form", () => {
  const context = {
    from: "removal_directions" as const,
    matched: false,
    arrivalDay: "2026-02-01",
    today: TODAY,
  };
  const form = (stage: string, day: string, note = "") => {
    const [year, month, date] = day.split("-");
    return { stage, "stageDate-day": date, "stageDate-month": month, "stageDate-year": year, note };
  };
  const errors = (values: Record<string, string | undefined>) => {
    const parsed = stageChangeSchema(context).safeParse(values);
    return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path[0], i.message]));
  };

  it("gives the answers as a stage, a day and a note", () => {
    expect(stageChangeSchema(context).parse(form("transferred", "2026-03-20"))).toEqual({
      stage: "transferred",
      stageDate: "2026-03-20",
    });
    expect(stageChangeSchema(context).parse(form("deferred", "2026-03-01", "Injunction"))).toEqual({
      stage: "deferred",
      stageDate: "2026-03-01",
      note: "Injunction",
    });
  });

  it.each([
    [form("", "2026-03-01"), { stage: "returns:fields.stage.errors.required" }],
    [form("france_accepted", "2026-03-01"), { stage: "returns:fields.stage.errors.notAllowed" }],
    [form("transferred", "2026-03-21"), { stageDate: "returns:fields.stageDate.errors.future" }],
    [form("transferred", "2026-01-31"), { stageDate: "returns:fields.stageDate.errors.beforeArrival" }],
    [form("transferred", "2026-02-30"), { stageDate: "returns:fields.stageDate.errors.invalid" }],
    [form("cancelled", "2026-03-01"), { note: "returns:fields.note.errors.required" }],
  ])("%j is refused with %j", (values, expected) => {
    expect(errors(values)).toEqual(expected);
  });

  it("refuses any change of a matched return", () => {
    const parsed = stageChangeSchema({ ...context, from: "transferred", matched: true }).safeParse(
      form("cancelled", "2026-03-01", "Error"),
    );
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(["returns:fields.stage.errors.matched"]);
  });

  it("refuses fields the form does not have", () => {
    expect(
      stageChangeSchema(context).safeParse({ ...form("transferred", "2026-03-01"), stage2: "x" }).success,
    ).toBe(false);
  });

  it("has a message in every language for each error", () => {
    for (const lang of ["en", "fr", "ar"]) {
      const texts = JSON.parse(readFileSync(join(repoRoot, "locales", lang, "returns.json"), "utf8")) as {
        fields: Record<string, { label?: string; errors?: Record<string, string> }>;
      };
      for (const field of stageChangeFields) {
        const codes = [...codesOf(field), ...(stageChangeExtraCodes[field.name] ?? [])].sort();
        expect(Object.keys(texts.fields[field.name]?.errors ?? {}).sort(), `${lang} ${field.name}`).toEqual(
          codes,
        );
        expect(texts.fields[field.name]?.label, `${lang} ${field.name}`).toBeTruthy();
      }
    }
  });
});
