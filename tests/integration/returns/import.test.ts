import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog, eoiFlags, matches, returnCases, returnImports, schemeSettings } from "#db/schema";
import { db } from "~/.server/db.server";
import { submitEoi } from "~/domain/eoi/eoi.service.server";
import { matchNext } from "~/domain/matching/matching.service.server";
import { MAX_CSV_BYTES } from "~/domain/returns/csv.server";
import { confirmImport, continueReturnImports, runReturnImport } from "~/domain/returns/import.server";
import { parisMidnight } from "~/domain/windows/windows.rules";
import * as importPage from "~/routes/staff/returns/import";
import * as progressPage from "~/routes/staff/returns/import-progress";
import { setupTestDatabase } from "../../support/db";
import { completeDraft, openWindowNow, testActor } from "../../support/eoi";
import { signedInStaff, staffRequest, type TestStaff } from "../../support/staff";
import { approvedEois, setPolicy } from "../matching/support";
import { type CsvLine, call, context, csvOf, daysAgo, returnLine, uploadRequest } from "./support";

setupTestDatabase("returns_import");

let officer: TestStaff;
let caseworker: TestStaff;
let windowId: string;

beforeAll(async () => {
  officer = await signedInStaff("matching_officer");
  caseworker = await signedInStaff("caseworker");
  windowId = await openWindowNow();
});

beforeEach(async () => {
  await db().execute(
    sql`update scheme_settings set parity_policy = 'strict', parity_tolerance = 0, weekly_cap = null`,
  );
});

let refs = 0;
/** Lines with person references no other test uses. */
const fresh = (n: number, changes: CsvLine = {}) => {
  refs += 1;
  return Array.from({ length: n }, (_, i) => returnLine({ person_ref: `T${refs}-${i + 1}`, ...changes }));
};

/** Uploads a file as the officer; the id of its preview. */
async function upload(content: string, staff = officer): Promise<string> {
  const response = (await importPage.action({
    request: uploadRequest(staff, content),
    params: {},
    context,
  })) as Response;
  expect(response.status).toBe(303);
  return (response.headers.get("Location") ?? "").split("/").pop() as string;
}

const preview = (id: string) =>
  progressPage.loader({
    request: staffRequest(officer, `/staff/returns/import/${id}`),
    params: { id },
    context,
  });

async function post(id: string, intent: "confirm" | "discard") {
  return (await progressPage.action({
    request: staffRequest(officer, `/staff/returns/import/${id}`, { intent }),
    params: { id },
    context,
  })) as Response;
}

/** Confirms as the page's button does, then waits for the run the action started. */
async function confirmAndRun(id: string) {
  expect((await post(id, "confirm")).status).toBe(303);
  await runReturnImport(id);
  const [row] = await db().select().from(returnImports).where(eq(returnImports.id, id));
  return row as typeof returnImports.$inferSelect;
}

const byRef = async (ref: string) => {
  const [row] = await db().select().from(returnCases).where(eq(returnCases.personRef, ref));
  return row;
};

describe("uploading a returns CSV", () => {
  it("previews a file with one bad line: exactly that line is reported, and confirming imports the rest", async () => {
    const lines = fresh(4);
    lines[1] = { ...lines[1], date_of_birth: "1996-02-30" };
    const id = await upload(csvOf(lines));

    const shown = await preview(id);
    expect(shown).toMatchObject({
      status: "preview",
      counts: { total: "4", added: "3", updated: "0", unchanged: "0", errorLines: "1", toImport: "3" },
      anythingToImport: true,
    });
    expect(shown.errors).toEqual([{ line: 3, field: "date_of_birth", code: "invalid" }]);
    const [previewed] = await db().select().from(auditLog).where(eq(auditLog.subjectId, id));
    expect(previewed).toMatchObject({ action: "returns.import_previewed", actorId: officer.id });
    expect(previewed?.details).toEqual({ lines: 4, added: 3, updated: 0, unchanged: 0, errorLines: 1 });
    expect(await byRef(lines[0]?.person_ref as string)).toBeUndefined();

    const done = await confirmAndRun(id);
    expect(done).toMatchObject({
      status: "imported",
      processed: 4,
      added: 3,
      updated: 0,
      unchanged: 0,
      contentEnc: "",
    });
    expect(done.errors).toEqual([{ line: 3, field: "date_of_birth", code: "invalid" }]);
    expect(done.finishedAt).toBeInstanceOf(Date);
    const imported = await db()
      .select()
      .from(returnCases)
      .where(
        inArray(
          returnCases.personRef,
          lines.map((l) => l.person_ref as string),
        ),
      );
    expect(imported.map((r) => r.personRef).sort()).toEqual(
      [lines[0], lines[2], lines[3]].map((l) => l?.person_ref).sort(),
    );
    expect(imported[0]).toMatchObject({
      stage: "removal_directions",
      importId: id,
      smallBoatArrivalAt: parisMidnight(daysAgo(20)),
      removalDirectionsAt: parisMidnight(daysAgo(5)),
      transferredAt: null,
    });
    // Nothing personal in the clear: the identity is encrypted, the audit has counts only.
    expect(imported[0]?.identityEnc).not.toContain("Tesfay");
    const audited = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, id), eq(auditLog.action, "returns.imported")));
    expect(audited[0]?.details).toEqual({ added: 3, updated: 0, unchanged: 0, errorLines: 1 });

    const after = await preview(id);
    expect(after).toMatchObject({ status: "imported", counts: { added: "3", errorLines: "1" } });
  });

  it("adds nothing when the same file is imported twice", async () => {
    const content = csvOf(fresh(3));
    await confirmAndRun(await upload(content));
    const [before] = await db().select({ n: sql<number>`count(*)::int` }).from(returnCases);

    const again = await upload(content);
    expect(await preview(again)).toMatchObject({ counts: { added: "0", unchanged: "3", errorLines: "0" } });
    expect(await confirmAndRun(again)).toMatchObject({ added: 0, updated: 0, unchanged: 3, errors: [] });
    const [after] = await db().select({ n: sql<number>`count(*)::int` }).from(returnCases);
    expect(after?.n).toBe(before?.n);
  });

  it("moves a return to a later stage, keeping its earlier dates", async () => {
    const [line] = fresh(1);
    await confirmAndRun(await upload(csvOf([line as CsvLine])));
    const moved = { ...line, stage: "transferred", transferred_date: daysAgo(1) };

    const id = await upload(csvOf([moved]));
    expect(await preview(id)).toMatchObject({ counts: { added: "0", updated: "1", unchanged: "0" } });
    expect(await confirmAndRun(id)).toMatchObject({ added: 0, updated: 1, unchanged: 0 });
    expect(await byRef(line?.person_ref as string)).toMatchObject({
      stage: "transferred",
      transferredAt: parisMidnight(daysAgo(1)),
      removalDirectionsAt: parisMidnight(daysAgo(5)),
      readmissionRequestedAt: parisMidnight(daysAgo(18)),
    });
  });

  it("reports a line that would move a matched return, and one that would go backwards", async () => {
    const [done, early] = fresh(2);
    const transferred = { ...done, stage: "transferred", transferred_date: daysAgo(2) };
    await confirmAndRun(await upload(csvOf([transferred, early as CsvLine])));
    // As many applicants as free completed returns, so this one is matched too.
    const [free] = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(returnCases)
      .where(eq(returnCases.stage, "transferred"));
    await approvedEois(db(), free?.n ?? 0, { windowId });
    await matchNext(free?.n ?? 0, officer.actor);
    const record = await byRef(done?.person_ref as string);
    const [match] = await db()
      .select()
      .from(matches)
      .where(and(eq(matches.returnCaseId, record?.id as string), isNull(matches.unmatchedAt)));
    expect(match).toBeDefined();

    const id = await upload(
      csvOf([
        { ...transferred, stage: "cancelled", transferred_date: "", note: "Recorded in error" },
        { ...early, stage: "france_accepted", removal_directions_date: "" },
      ]),
    );
    const shown = await preview(id);
    expect(shown.errors).toEqual([
      { line: 2, field: "person_ref", code: "matched" },
      { line: 3, field: "stage", code: "notAllowed" },
    ]);
    expect(shown.anythingToImport).toBe(false);
    expect(await confirmAndRun(id)).toMatchObject({ added: 0, updated: 0, unchanged: 0 });
    expect((await byRef(done?.person_ref as string))?.stage).toBe("transferred");
  });

  it("flags submitted applications of a person the import adds, by identity or by document", async () => {
    const sameName = await completeDraft({
      givenNames: "Mariam",
      familyName: "Yonas",
      dateOfBirth: "1991-01-09",
      nationality: "ER",
    });
    const sameDocument = await completeDraft({
      givenNames: "Other",
      familyName: "Name",
      documentNumber: "P7766554",
    });
    const draftOnly = await completeDraft({
      givenNames: "Mariam",
      familyName: "Yonas",
      dateOfBirth: "1991-01-09",
    });
    expect(await submitEoi(sameName, testActor)).toMatchObject({ ok: true });
    expect(await submitEoi(sameDocument, testActor)).toMatchObject({ ok: true });

    const [first, second] = fresh(2);
    const id = await upload(
      csvOf([
        { ...first, full_name: "YONAS Mariam", date_of_birth: "1991-01-09", nationality: "ER" },
        { ...second, document_number: "P 7766-554", nationality: "ER" },
      ]),
    );
    await confirmAndRun(id);
    const flags = await db().select().from(eoiFlags).where(eq(eoiFlags.kind, "previously_returned"));
    const returnOf = async (ref: string | undefined) => (await byRef(ref as string))?.id;
    expect(flags.map((f) => [f.eoiId, f.evidenceType, f.evidenceId, f.details])).toEqual(
      expect.arrayContaining([
        [sameName, "return_case", await returnOf(first?.person_ref), { match: "identity" }],
        [sameDocument, "return_case", await returnOf(second?.person_ref), { match: "document" }],
      ]),
    );
    expect(flags.filter((f) => f.eoiId === draftOnly)).toEqual([]);
  });

  it("gives a return transferred by the import to an admission that ran ahead of returns", async () => {
    await setPolicy(db(), "tolerance", { tolerance: 1 });
    const [applicant] = await approvedEois(db(), 1, { windowId });
    await matchNext(1_000, officer.actor);
    const [ahead] = await db()
      .select()
      .from(matches)
      .where(eq(matches.eoiId, applicant as string));
    expect(ahead?.returnCaseId).toBeNull();

    const [line] = fresh(1, { stage: "transferred", transferred_date: daysAgo(1) });
    await confirmAndRun(await upload(csvOf([line as CsvLine])));
    const [backed] = await db()
      .select()
      .from(matches)
      .where(eq(matches.eoiId, applicant as string));
    expect(backed?.returnCaseId).toBe((await byRef(line?.person_ref as string))?.id);
    expect(backed?.backedAt).toBeInstanceOf(Date);
    const [settings] = await db().select().from(schemeSettings);
    expect(settings?.admissionsAhead).toBe(0);
  });

  it("imports 5,000 lines in chunks, resuming an import left running", async () => {
    const lines = fresh(5_000, { stage: "transferred", transferred_date: daysAgo(1) });
    const id = await upload(csvOf(lines));
    expect(await preview(id)).toMatchObject({ counts: { added: "5,000" } });
    // Confirmed, then the process stops before running it: the background job picks it up.
    expect(await confirmImport(id, officer.actor)).toBe(true);
    // The page shows the progress (and, without JavaScript, reloads itself) while importing.
    expect(await preview(id)).toMatchObject({ status: "importing" });
    expect(await continueReturnImports()).toContain(id);
    // A second call joins the run under way rather than starting another.
    await Promise.all([runReturnImport(id), runReturnImport(id)]);
    const [row] = await db().select().from(returnImports).where(eq(returnImports.id, id));
    expect(row).toMatchObject({
      status: "imported",
      processed: 5_000,
      added: 5_000,
      unchanged: 0,
      errors: [],
    });
    const [count] = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(returnCases)
      .where(eq(returnCases.importId, id));
    expect(count?.n).toBe(5_000);
  });
});

describe("files that are refused", () => {
  type Refused = {
    init: { status: number };
    data: { errors: { file: string }; params: Record<string, unknown> };
  };
  const refuse = async (content: string, name?: string, type?: string) =>
    (await importPage.action({
      request: uploadRequest(officer, content, name, type),
      params: {},
      context,
    })) as Refused;

  it("refuses what is not a returns CSV, with a plain message and nothing stored", async () => {
    const [before] = await db().select({ n: sql<number>`count(*)::int` }).from(returnImports);
    expect((await refuse("%PDF-1.4", "returns.pdf", "application/pdf")).data.errors).toEqual({
      file: "returns:import.errors.not_csv",
    });
    const spreadsheet = await refuse("PK\u0003\u0004\u0000\u0000", "returns.csv");
    expect(spreadsheet.init.status).toBe(422);
    expect(spreadsheet.data.errors.file).toBe("returns:import.errors.not_text");
    const columns = await refuse("person_ref,full_name\nA,B\n");
    expect(columns.data).toMatchObject({
      errors: { file: "returns:import.errors.missing_columns" },
      params: { columns: "date_of_birth, nationality, small_boat_arrival_date, stage" },
    });
    expect((await refuse("")).data.errors.file).toBe("returns:import.errors.empty");
    const tooLarge = await refuse(`${csvOf([])}\n${"x".repeat(MAX_CSV_BYTES)}`);
    expect(tooLarge.data).toMatchObject({
      errors: { file: "returns:import.errors.too_large" },
      params: { mb: 20 },
    });
    const [after] = await db().select({ n: sql<number>`count(*)::int` }).from(returnImports);
    expect(after?.n).toBe(before?.n);
  });

  it("discards a preview and its file; it can no longer be confirmed", async () => {
    const id = await upload(csvOf(fresh(2)));
    expect((await post(id, "discard")).status).toBe(303);
    expect((await post(id, "confirm")).status).toBe(303);
    const [row] = await db().select().from(returnImports).where(eq(returnImports.id, id));
    expect(row).toMatchObject({ status: "discarded", contentEnc: "", added: 2 });
    const audited = await db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.subjectId, id));
    expect(audited.map((a) => a.action)).toEqual(["returns.import_previewed", "returns.import_discarded"]);
  });

  it("is for those who keep the register: a caseworker is refused, and unknown imports are not found", async () => {
    const forbidden = (await call(() =>
      importPage.action({ request: uploadRequest(caseworker, csvOf(fresh(1))), params: {}, context }),
    )) as Response;
    expect(forbidden.status).toBe(403);
    const id = await upload(csvOf(fresh(1)));
    const look = (who: TestStaff, at: string) =>
      call(() =>
        progressPage.loader({
          request: staffRequest(who, `/staff/returns/import/${at}`),
          params: { id: at },
          context,
        }),
      );
    expect(((await look(caseworker, id)) as Response).status).toBe(403);
    expect(((await look(officer, "not-an-id")) as Response).status).toBe(404);
    expect(((await look(officer, "00000000-0000-4000-8000-000000000000")) as Response).status).toBe(404);
    const anonymous = (await call(() =>
      importPage.loader({ request: staffRequest(null, "/staff/returns/import"), params: {}, context }),
    )) as Response;
    expect(anonymous.headers.get("Location")).toBe("/staff/sign-in?next=%2Fstaff%2Freturns%2Fimport");
  });
});
