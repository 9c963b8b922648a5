import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, eois } from "#db/schema";
import { db } from "~/.server/db.server";
import { audit } from "~/domain/audit/audit.server";
import { exportAudit, searchAudit } from "~/domain/audit/audit-search.server";
import { submitEoi } from "~/domain/eoi/eoi.service.server";
import { generateReference } from "~/domain/eoi/reference";
import { changeStatus } from "~/domain/status/status.service.server";
import * as auditExport from "~/routes/staff/audit/export";
import * as auditSearch from "~/routes/staff/audit/search";
import { setupTestDatabase } from "../../support/db";
import { completeDraft, openWindowNow, testActor } from "../../support/eoi";
import { routeContext, signedInStaff, staffRequest, type TestStaff } from "../../support/staff";

setupTestDatabase("audit-search");

const context = routeContext;
const args = (request: Request) => ({ request, params: {}, context });

async function run<T>(fn: () => Promise<T>): Promise<T | Response> {
  try {
    return await fn();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

type Page = {
  values: Record<string, string | undefined>;
  errors: Record<string, string>;
  title?: string;
  entries:
    | {
        id: number;
        action: string;
        actor: { type: string; email?: string };
        subject: { label?: string } | null;
      }[]
    | null;
  next: string | null;
  first: string | null;
  exportHref: string | null;
};

/** A results page by its URL (a link followed: the next page, a bookmark). */
const load = async (staff: TestStaff, path: string) =>
  (await auditSearch.loader(args(staffRequest(staff, path)))) as Page;

/**
 * The filter form as an auditor fills it in (`query` names its fields): posted, then the page it
 * sends them to, or the form's own errors (422).
 */
const search = async (staff: TestStaff, query: string): Promise<Page & { location: string | null }> => {
  const form = Object.fromEntries(new URLSearchParams(query));
  const posted = await auditSearch.action(args(staffRequest(staff, "/staff/audit", form)));
  if (!(posted instanceof Response)) return { ...(posted as unknown as { data: Page }).data, location: null };
  const location = posted.headers.get("Location") as string;
  return { ...(await load(staff, location)), location };
};

/** A minimal RFC 4180 reader for the test: quoted cells, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return rows;
}

let auditor: TestStaff;
let caseworker: TestStaff;
let admin: TestStaff;
let eoiId: string;
let reference: string;

beforeAll(async () => {
  auditor = await signedInStaff("auditor");
  caseworker = await signedInStaff("caseworker");
  admin = await signedInStaff("admin");
  await openWindowNow();
  eoiId = await completeDraft();
  const submitted = await submitEoi(eoiId, testActor);
  if (!submitted.ok) throw new Error("not submitted");
  reference = submitted.reference;

  // What the e2e journey will leave in the log: a caseworker signs in, claims, views, decides.
  const actor = caseworker.actor;
  await audit(db(), actor, "staff.signed_in", { type: "staff_user", id: caseworker.id });
  await audit(db(), actor, "case.claimed", { type: "eoi", id: eoiId });
  await audit(db(), actor, "eoi.viewed", { type: "eoi", id: eoiId });
  await audit(db(), actor, "upload.viewed", { type: "eoi", id: eoiId }, { uploadId: "u-1" });
  await db().transaction(async (tx) => {
    await changeStatus(tx, eoiId, "under_review", actor);
    await changeStatus(tx, eoiId, "selected", actor);
  });

  // Another case, so the case filter has something to leave out.
  const other = await completeDraft();
  await submitEoi(other, testActor);
  await audit(db(), actor, "eoi.viewed", { type: "eoi", id: other });

  // Dated rows either side of Paris midnight (UTC+1 in January).
  const dated = [
    "2020-01-15T22:59:59Z",
    "2020-01-15T23:00:00Z",
    "2020-01-16T22:59:59Z",
    "2020-01-16T23:00:00Z",
  ];
  await db()
    .insert(auditLog)
    .values(
      dated.map((at, i) => ({ at: new Date(at), actorType: "system", action: "test.dated", details: { i } })),
    );

  // 120 rows to page through.
  await db()
    .insert(auditLog)
    .values(
      Array.from({ length: 120 }, (_, i) => ({ actorType: "system", action: "test.bulk", details: { i } })),
    );
});

describe("searching the audit log", () => {
  it("finds everything done to one case by its reference, newest first, with names people know", async () => {
    const page = await search(auditor, `?caseReference=${reference.toLowerCase()}`);
    const actions = page.entries?.map((e) => e.action) ?? [];
    expect(actions).toEqual(
      expect.arrayContaining([
        "eoi.draft_created",
        "status.submitted",
        "case.claimed",
        "eoi.viewed",
        "upload.viewed",
        "status.under_review",
        "status.selected",
      ]),
    );
    expect(actions).not.toContain("staff.signed_in");
    expect(page.entries?.every((e) => e.subject?.label === reference)).toBe(true);
    const ids = page.entries?.map((e) => e.id) ?? [];
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(page.entries?.filter((e) => e.action === "eoi.viewed")).toHaveLength(1);
    expect(page.entries?.find((e) => e.action === "case.claimed")?.actor).toMatchObject({
      type: "staff",
      email: caseworker.email,
      name: "Test caseworker",
    });
  });

  it("finds what one member of staff did by their email, sign-in included", async () => {
    const page = await search(auditor, `?staffEmail=${encodeURIComponent(caseworker.email.toUpperCase())}`);
    const actions = page.entries?.map((e) => e.action) ?? [];
    expect(actions).toEqual(expect.arrayContaining(["staff.signed_in", "case.claimed", "status.selected"]));
    expect(page.entries?.every((e) => e.actor.email === caseworker.email)).toBe(true);
    expect(page.entries?.find((e) => e.action === "staff.signed_in")?.subject?.label).toBe(caseworker.email);
  });

  it("filters by an exact action or a prefix, and by subject", async () => {
    const exact = await search(auditor, "?action=status.selected");
    expect(exact.entries?.map((e) => e.action)).toEqual(["status.selected"]);
    const prefix = await search(auditor, `?action=status.&caseReference=${reference}`);
    expect(prefix.entries?.map((e) => e.action)).toEqual([
      "status.selected",
      "status.under_review",
      "status.submitted",
    ]);
    const star = await search(auditor, "?action=staff.sign*");
    expect(new Set(star.entries?.map((e) => e.action))).toEqual(new Set(["staff.signed_in"]));
    // "_" is a LIKE wildcard; here it is only an underscore.
    expect((await search(auditor, "?action=status.under_*")).entries?.map((e) => e.action)).toEqual([
      "status.under_review",
    ]);
    const subject = await search(auditor, `?subjectType=staff_user&subjectId=${caseworker.id}`);
    expect(subject.entries?.map((e) => e.action)).toContain("staff.signed_in");
    expect(subject.entries?.every((e) => e.subject?.label === caseworker.email)).toBe(true);
  });

  it("filters by Paris days, both included", async () => {
    const day = "from-day=16&from-month=1&from-year=2020&to-day=16&to-month=1&to-year=2020";
    const page = await search(auditor, `?action=test.dated&${day}`);
    const rows = await db()
      .select({ id: auditLog.id, at: auditLog.at })
      .from(auditLog)
      .where(eq(auditLog.action, "test.dated"));
    const expected = rows
      .filter((r) => ["2020-01-15T23:00:00.000Z", "2020-01-16T22:59:59.000Z"].includes(r.at.toISOString()))
      .map((r) => r.id)
      .sort((a, b) => b - a);
    expect(page.entries?.map((e) => e.id)).toEqual(expected);
    const from = await search(auditor, "?action=test.dated&from-day=17&from-month=1&from-year=2020");
    expect(from.entries).toHaveLength(1);
  });

  it("pages through 50 at a time by id, with links that keep the filters", async () => {
    const seen: number[] = [];
    let page = await search(auditor, "?action=test.bulk");
    expect(page.first).toBeNull();
    const sizes: number[] = [];
    for (;;) {
      sizes.push(page.entries?.length ?? 0);
      seen.push(...(page.entries?.map((e) => e.id) ?? []));
      if (!page.next) break;
      expect(page.next).toMatch(/^\/staff\/audit\?action=test\.bulk&after=\d+$/);
      page = { ...(await load(auditor, page.next)), location: null };
      expect(page.first).toBe("/staff/audit?action=test.bulk");
    }
    expect(sizes).toEqual([50, 50, 20]);
    expect(new Set(seen).size).toBe(120);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
  });

  it("says so when the reference or the email matches nothing, with 'Error:' in the title", async () => {
    let unknown = generateReference();
    while ((await db().select().from(eois).where(eq(eois.reference, unknown))).length)
      unknown = generateReference();
    const page = await search(auditor, `?caseReference=${unknown}&staffEmail=nobody@staff.test`);
    expect(page.errors).toEqual({
      caseReference: "backoffice:fields.caseReference.errors.notFound",
      staffEmail: "backoffice:fields.staffEmail.errors.notFound",
    });
    expect(page.entries).toBeNull();
    expect(page.title).toBe("Error: Audit log");
    const invalid = await search(auditor, "?caseReference=nope");
    expect(invalid.errors).toEqual({ caseReference: "backoffice:fields.caseReference.errors.invalid" });
  });

  it("combines filters: all must match", async () => {
    const result = await searchAudit(
      { caseReference: reference, action: "upload.viewed" },
      undefined,
      auditor.actor,
    );
    expect(result.ok && result.entries.map((e) => e.details)).toEqual([{ uploadId: "u-1" }]);
  });

  it("records each search in the log, with its filters", async () => {
    await search(auditor, "?action=status.selected");
    const [row] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "audit.searched"), eq(auditLog.actorId, auditor.id)))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(row).toMatchObject({
      actorType: "staff",
      ip: "127.0.0.1",
      requestId: "test",
      details: { filters: { action: "status.selected" }, rows: 1 },
    });
  });
});

describe("personal filters (ASVS 8.3.1)", () => {
  it("keep a case reference and an email out of every URL: the form posts, the URL carries an id", async () => {
    const page = await search(
      auditor,
      `?caseReference=${reference}&staffEmail=${caseworker.email}&action=status.`,
    );
    expect(page.location).toMatch(/^\/staff\/audit\?action=status\.&search=[\w-]{20,}$/);
    expect(page.entries?.map((e) => e.action)).toEqual(["status.selected", "status.under_review"]);
    expect(page.values).toMatchObject({ caseReference: reference, staffEmail: caseworker.email });
    const urls = [page.location, page.exportHref, page.next, page.first].filter(Boolean).join(" ");
    expect(urls).not.toContain(reference);
    expect(decodeURIComponent(urls)).not.toContain(caseworker.email);
    // What is not personal stays in the URL as it was: an action alone needs no saved search.
    expect((await search(auditor, "?action=status.selected")).location).toBe(
      "/staff/audit?action=status.selected",
    );
  });

  it("are not read from a URL, and a search id from another session says to search again", async () => {
    const typed = await load(auditor, `/staff/audit?caseReference=${reference}&action=status.selected`);
    expect(typed.values).toEqual({ action: "status.selected" });
    const { location } = await search(auditor, `?staffEmail=${caseworker.email}`);
    const colleague = await signedInStaff("auditor");
    const shared = await load(colleague, location as string);
    expect(shared).toMatchObject({ errors: { caseReference: "backoffice:audit.searchGone" }, entries: null });
    expect(shared.values).toEqual({});
  });
});

describe("exporting the audit log as CSV", () => {
  it("downloads every matching row with the same filters, and records the export", async () => {
    const page = await search(auditor, `?caseReference=${reference}`);
    expect(page.exportHref).toMatch(/^\/staff\/audit\/export\?search=[\w-]{20,}$/);
    const response = (await auditExport.loader(
      args(staffRequest(auditor, page.exportHref as string)),
    )) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    // A byte-order mark first, so spreadsheet programs read UTF-8 (text() drops it, as browsers do).
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(new TextDecoder().decode(bytes));
    expect(header?.slice(0, 4)).toEqual(["Entry", "Time (UTC)", "Time (Paris)", "Actor type"]);
    expect(rows.map((r) => Number(r[0]))).toEqual(page.entries?.map((e) => e.id));
    const column = (name: string) => header?.indexOf(name) ?? -1;
    expect(rows.every((r) => r[column("Record")] === reference)).toBe(true);
    expect(rows.find((r) => r[column("Action")] === "upload.viewed")?.[column("Actor email address")]).toBe(
      caseworker.email,
    );

    const [row] = await db()
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "audit.exported"))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(row).toMatchObject({
      actorId: auditor.id,
      details: { filters: { caseReference: reference }, rows: rows.length, truncated: false },
    });
  });

  it("guards against formulas in the data", async () => {
    await audit(
      db(),
      { type: "applicant", requestId: "=cmd|' /C calc'!A0", ip: "+1" },
      "test.inject",
      undefined,
      {
        note: "@SUM(1)",
      },
    );
    const response = (await auditExport.loader(
      args(staffRequest(auditor, "/staff/audit/export?action=test.inject")),
    )) as Response;
    const [header, row] = parseCsv(await response.text());
    const cell = (name: string) => row?.[header?.indexOf(name) ?? -1];
    expect(cell("Request id")).toBe("'=cmd|' /C calc'!A0");
    expect(cell("IP address")).toBe("'+1");
    expect(cell("Details (JSON)")).toBe('{"note":"@SUM(1)"}');
  });

  it("stops at the maximum and says it did", async () => {
    const capped = await exportAudit({ action: "test.bulk" }, auditor.actor, 100);
    expect(capped).toMatchObject({ ok: true, truncated: true });
    expect(capped.ok && capped.entries).toHaveLength(100);
    const exact = await exportAudit({ action: "test.bulk" }, auditor.actor, 120);
    expect(exact).toMatchObject({ ok: true, truncated: false });
    expect(exact.ok && exact.entries).toHaveLength(120);
    const [row] = await db()
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "audit.exported"))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(row?.details).toMatchObject({ rows: 120, truncated: false });
  });

  it("sends filters that do not hold up, or a search this session does not have, back to the search page", async () => {
    const response = (await auditExport.loader(
      args(staffRequest(auditor, "/staff/audit/export?action=DROP%20TABLE")),
    )) as Response;
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/staff/audit?action=DROP%20TABLE");
    const { exportHref } = await search(auditor, `?caseReference=${reference}`);
    const colleague = await signedInStaff("auditor");
    const shared = (await auditExport.loader(
      args(staffRequest(colleague, exportHref as string)),
    )) as Response;
    expect(shared.status).toBe(303);
    expect(shared.headers.get("Location")).toBe((exportHref as string).replace("/export", ""));
  });
});

describe("who may read the audit log", () => {
  it("refuses everyone but auditors, and signs out the signed-out", async () => {
    for (const staff of [caseworker, admin]) {
      expect(await run(() => auditSearch.loader(args(staffRequest(staff, "/staff/audit"))))).toMatchObject({
        status: 403,
      });
      expect(
        await run(() => auditExport.loader(args(staffRequest(staff, "/staff/audit/export")))),
      ).toMatchObject({
        status: 403,
      });
    }
    expect(await run(() => auditSearch.loader(args(staffRequest(null, "/staff/audit"))))).toMatchObject({
      status: 302,
    });
    // Refused requests search nothing, so they leave no audit.searched row.
    const searches = await db()
      .select({ actorId: auditLog.actorId })
      .from(auditLog)
      .where(eq(auditLog.action, "audit.searched"));
    expect(searches.every((s) => s.actorId === auditor.id)).toBe(true);
  });
});
