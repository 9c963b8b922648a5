import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { applicationWindows, caseClaims, type EoiStatus, eoiFlags, eois, familyGroups } from "#db/schema";
import { blindIndex } from "~/.server/crypto.server";
import { db } from "~/.server/db.server";
import { encodeCursor, type QueueFilters, queueQuerySchema, queueValues } from "~/domain/cases/queue.rules";
import { listQueue, queueFilterOptions } from "~/domain/cases/queue.server";
import { generateFamilyReference, generateReference } from "~/domain/eoi/reference";
import { normaliseName } from "~/domain/identity/identity.rules";
import { action, loader } from "~/routes/staff/cases/queue";
import { setupTestDatabase } from "../../support/db";
import { routeContext, signedInStaff, staffRequest, type TestStaff } from "../../support/staff";

setupTestDatabase("queue");

/** One seeded EOI, as the test knows it. */
interface Seeded {
  id: string;
  reference: string;
  status: EoiStatus;
  windowId: string;
  nationality: string;
  inFamily: boolean;
  /** Seconds and microseconds after the base time: what the queue sorts on. */
  at: [number, number];
}

const COUNT = 60;
const statuses: EoiStatus[] = [
  "submitted",
  "location_verified",
  "location_unverified",
  "under_review",
  "selected",
  "refused",
  "withdrawn",
];
const nationalities = ["ER", "SD", "AF", "stateless"];
const SEARCHED = "Amina Haddad";
/** Microseconds matter: a cursor rounded to the millisecond would skip or repeat these. */
const timestamp = ([s, us]: [number, number]) =>
  `${new Date(Date.UTC(2025, 4, 1, 10) + s * 1000).toISOString().slice(0, 19)}.${String(us).padStart(6, "0")}Z`;

const context = routeContext;
let caseworker: TestStaff;
let auditor: TestStaff;
let spring: string;
let summer: string;
let seeded: Seeded[] = [];
let draftIds: string[] = [];
const flagged: Record<string, string[]> = {};

/** Every page, following the cursor, with small pages so there are many. */
async function walk(filters: QueueFilters, pageSize = 7) {
  const ids: string[] = [];
  let cursor = null;
  for (let pages = 0; pages < 100; pages++) {
    const page = await listQueue(filters, cursor, pageSize);
    expect(page.rows.length).toBeLessThanOrEqual(pageSize);
    ids.push(...page.rows.map((r) => r.id));
    if (!page.nextCursor) {
      expect(page.hasNext).toBe(false);
      return ids;
    }
    expect(page.hasNext).toBe(true);
    expect(page.rows).toHaveLength(pageSize);
    cursor = queueQuerySchema.parse({ cursor: page.nextCursor }).cursor;
  }
  throw new Error("pagination does not end");
}

const byTime = (a: Seeded, b: Seeded) =>
  a.at[0] - b.at[0] || a.at[1] - b.at[1] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const oldestFirst = (rows: Seeded[]) => [...rows].sort(byTime).map((r) => r.id);
const all = (filters: Partial<QueueFilters> = {}) => walk({ sort: "oldest", ...filters });

beforeAll(async () => {
  caseworker = await signedInStaff("caseworker");
  auditor = await signedInStaff("auditor");
  const other = await signedInStaff("caseworker");
  const windows = await db()
    .insert(applicationWindows)
    .values([
      {
        name: "Spring",
        opensAt: new Date("2025-04-01T00:00:00Z"),
        closesAt: new Date("2025-06-01T00:00:00Z"),
      },
      {
        name: "Summer",
        opensAt: new Date("2025-06-01T00:00:00Z"),
        closesAt: new Date("2025-08-01T00:00:00Z"),
      },
    ])
    .returning({ id: applicationWindows.id });
  spring = windows[0]?.id as string;
  summer = windows[1]?.id as string;
  const [group] = await db()
    .insert(familyGroups)
    .values({ familyReference: generateFamilyReference(), windowId: spring })
    .returning({ id: familyGroups.id });

  const plans = Array.from({ length: COUNT }, (_, i) => ({
    reference: generateReference(),
    status: statuses[i % statuses.length] as EoiStatus,
    windowId: i % 2 === 0 ? spring : summer,
    nationality: nationalities[i % nationalities.length] as string,
    inFamily: i % 5 === 0,
    // Three submissions share each second; the last three differ only in microseconds.
    at: (i >= COUNT - 3 ? [100, i === COUNT - 2 ? 2 : 1] : [Math.floor(i / 3), 0]) as [number, number],
    name: i === 10 ? SEARCHED : i === 20 ? "HADDAD, amina" : `Applicant number ${i}`,
  }));
  const inserted = await db()
    .insert(eois)
    .values(
      plans.map((p) => ({
        status: p.status,
        lang: "fr",
        answersEnc: "not read by the queue",
        reference: p.reference,
        windowId: p.windowId,
        nationality: p.nationality,
        familyRole: p.inFamily ? ("member" as const) : ("alone" as const),
        familyGroupId: p.inFamily ? group?.id : null,
        nameHash: blindIndex("name", normaliseName(p.name)),
        submittedAt: sql`${timestamp(p.at)}::timestamptz`,
      })),
    )
    .returning({ id: eois.id, reference: eois.reference });
  seeded = plans.map((p, i) => ({ ...p, id: inserted[i]?.id as string }));

  // Drafts are never in the queue, even one with the searched name and its own nationality.
  const drafts = await db()
    .insert(eois)
    .values([
      {
        lang: "fr",
        answersEnc: "x",
        nameHash: blindIndex("name", normaliseName(SEARCHED)),
        nationality: "SY",
      },
      { lang: "en", answersEnc: "x", windowId: spring },
    ])
    .returning({ id: eois.id });
  draftIds = drafts.map((d) => d.id);

  const at = (i: number) => seeded[i]?.id as string;
  await db()
    .insert(eoiFlags)
    .values([
      { eoiId: at(3), kind: "possible_duplicate" },
      { eoiId: at(3), kind: "possible_duplicate", evidenceType: "eoi", evidenceId: at(4) },
      { eoiId: at(4), kind: "possible_duplicate", resolved: true },
      { eoiId: at(5), kind: "previously_returned" },
      { eoiId: at(8), kind: "location_unverified" },
      { eoiId: at(11), kind: "location_unverified", resolved: true },
      { eoiId: at(12), kind: "previously_returned" },
      { eoiId: at(12), kind: "possible_duplicate" },
      { eoiId: draftIds[0] as string, kind: "possible_duplicate" },
    ]);
  flagged.possible_duplicate = [at(3), at(12)];
  flagged.previously_returned = [at(5), at(12)];
  const hour = 3_600_000;
  await db()
    .insert(caseClaims)
    .values([
      { eoiId: at(1), staffId: caseworker.id, expiresAt: new Date(Date.now() + hour) },
      {
        eoiId: at(2),
        staffId: other.id,
        claimedAt: new Date(Date.now() - 2 * hour),
        expiresAt: new Date(Date.now() - hour),
      },
    ]);
});

describe("the case queue", () => {
  it("pages through every submitted EOI exactly once, oldest first, ties broken by id", async () => {
    const ids = await all();
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(oldestFirst(seeded));
    for (const draft of draftIds) expect(ids).not.toContain(draft);
  });

  it("pages newest first just as well", async () => {
    expect(await walk({ sort: "newest" }, 4)).toEqual(oldestFirst(seeded).reverse());
  });

  it("pages the same with any page size, down to one", async () => {
    expect(await walk({ sort: "oldest" }, 1)).toEqual(oldestFirst(seeded));
    expect(await walk({ sort: "newest", status: "submitted" }, 3)).toEqual(
      oldestFirst(seeded.filter((s) => s.status === "submitted")).reverse(),
    );
  });

  it("stops with no next page when the last page is exactly full", async () => {
    const page = await listQueue({ sort: "oldest" }, null, COUNT);
    expect(page.rows).toHaveLength(COUNT);
    expect(page).toMatchObject({ hasNext: false, nextCursor: null });
  });

  it.each(["submitted", "location_verified", "under_review", "withdrawn"] as const)(
    "filters by status %s",
    async (status) => {
      const expected = oldestFirst(seeded.filter((s) => s.status === status));
      expect(expected.length).toBeGreaterThan(0);
      expect(await all({ status })).toEqual(expected);
    },
  );

  it("filters by window, and by window and status together", async () => {
    expect(await all({ windowId: summer })).toEqual(oldestFirst(seeded.filter((s) => s.windowId === summer)));
    expect(await all({ windowId: spring, status: "selected" })).toEqual(
      oldestFirst(seeded.filter((s) => s.windowId === spring && s.status === "selected")),
    );
    expect(await all({ windowId: crypto.randomUUID() })).toEqual([]);
  });

  it("filters by nationality, stateless included", async () => {
    for (const nationality of ["ER", "stateless"])
      expect(await all({ nationality })).toEqual(
        oldestFirst(seeded.filter((s) => s.nationality === nationality)),
      );
    expect(await all({ nationality: "SY" })).toEqual([]);
  });

  it("filters by family group, in or out", async () => {
    expect(await all({ family: "yes" })).toEqual(oldestFirst(seeded.filter((s) => s.inFamily)));
    expect(await all({ family: "no" })).toEqual(oldestFirst(seeded.filter((s) => !s.inFamily)));
  });

  it("filters by unresolved flags, each case once however many flags it has", async () => {
    const ids = (list: string[] = []) => oldestFirst(seeded.filter((s) => list.includes(s.id)));
    expect(await all({ flag: "possible_duplicate" })).toEqual(ids(flagged.possible_duplicate));
    expect(await all({ flag: "previously_returned" })).toEqual(ids(flagged.previously_returned));
  });

  it("counts presence as unverified by an unresolved flag or by the status", async () => {
    const expected = oldestFirst(
      seeded.filter((s) => s.status === "location_unverified" || s.id === seeded[8]?.id),
    );
    expect(expected).not.toContain(seeded[11]?.id);
    expect(await all({ flag: "location_unverified" })).toEqual(expected);
  });

  it("finds a case by its reference, however it is typed", async () => {
    const target = seeded[17] as Seeded;
    for (const typed of [target.reference, target.reference.toLowerCase().replaceAll("-", "")]) {
      const { filters } = queueQuerySchema.parse(queueValues(new URLSearchParams({ q: typed })));
      expect(await all(filters)).toEqual([target.id]);
    }
  });

  it("finds cases by full name, normalised, but never a draft", async () => {
    for (const typed of ["haddad amina", "AMINA  Haddad", "Haddad-Amina"]) {
      const { filters } = queueQuerySchema.parse({ q: typed });
      expect(await all(filters)).toEqual(oldestFirst([seeded[10], seeded[20]] as Seeded[]));
    }
    const { filters } = queueQuerySchema.parse({ q: "Amina" });
    expect(await all(filters)).toEqual([]);
  });

  it("shows flags, family, window and a claim only while it has not expired, and no personal data", async () => {
    const { rows } = await listQueue({ sort: "oldest" }, null, COUNT);
    const row = (i: number) => rows.find((r) => r.id === seeded[i]?.id);
    expect(Object.keys(row(0) ?? {}).sort()).toEqual(
      [
        "claimedBy",
        "familyReference",
        "flags",
        "id",
        "nationality",
        "reference",
        "status",
        "submittedAt",
        "windowName",
      ].sort(),
    );
    expect(row(1)?.claimedBy).toBe("Test caseworker");
    expect(row(2)?.claimedBy).toBeNull();
    expect(row(12)?.flags).toEqual(["possible_duplicate", "previously_returned"]);
    expect(row(3)?.flags).toEqual(["possible_duplicate"]);
    expect(row(4)?.flags).toEqual([]);
    expect(row(0)?.familyReference).toMatch(/^F-/);
    expect(row(1)?.familyReference).toBeNull();
    expect(row(1)).toMatchObject({ windowName: "Summer", nationality: "SD", status: "location_verified" });
  });

  it("offers every window and the nationalities of submitted EOIs only", async () => {
    const options = await queueFilterOptions();
    expect(options.windows.map((w) => w.name)).toEqual(["Summer", "Spring"]);
    expect(options.nationalities).toEqual(["AF", "ER", "SD", "stateless"]);
  });
});

describe("the case queue page", () => {
  const load = async (staff: TestStaff | null, path: string, headers: Record<string, string> = {}) => {
    const request = staffRequest(staff, path);
    for (const [name, value] of Object.entries(headers))
      request.headers.set(name, `${request.headers.get(name) ?? ""}; ${value}`);
    const result = await loader({ request, params: {}, context });
    return { status: result.init?.status ?? 200, ...result.data };
  };

  it("gives a caseworker the first page, with a next page link that carries the filters", async () => {
    const first = await load(caseworker, "/staff/cases");
    expect(first.status).toBe(200);
    expect(first.rows).toHaveLength(50);
    expect(first.isFirstPage).toBe(true);
    expect(first.rows?.map((r) => r.id)).toEqual(oldestFirst(seeded).slice(0, 50));
    expect(first.nextHref).toMatch(/^\/staff\/cases\?cursor=[\w-]+$/);
    const second = await load(caseworker, first.nextHref as string);
    expect(second.rows?.map((r) => r.id)).toEqual(oldestFirst(seeded).slice(50));
    expect(second).toMatchObject({ nextHref: null, isFirstPage: false, firstPageHref: "/staff/cases" });

    const filtered = await load(caseworker, "/staff/cases?q=&status=&family=no&sort=newest");
    expect(filtered.nextHref).toBeNull();
    expect(filtered.rows?.map((r) => r.id)).toEqual(oldestFirst(seeded.filter((s) => !s.inFamily)).reverse());
    expect(filtered.values).toMatchObject({ family: "no", sort: "newest" });
  });

  /** The filter form as a person posts it: where it sends them (303), or its errors (422). */
  const search = async (staff: TestStaff, form: Record<string, string>) => {
    const result = await action({ request: staffRequest(staff, "/staff/cases", form), params: {}, context });
    if (result instanceof Response)
      return { status: result.status, location: result.headers.get("Location") };
    const refused = result as unknown as { init?: ResponseInit; data: Record<string, unknown> };
    return { status: refused.init?.status, ...refused.data, location: null };
  };

  it("names countries and dates in the staff member's language", async () => {
    const { location: path } = await search(caseworker, { q: seeded[0]?.reference as string });
    if (!path) throw new Error("no redirect");
    const english = await load(caseworker, path);
    expect(english.rows?.[0]).toMatchObject({
      nationality: "Eritrea",
      submittedAt: "2025-05-01T10:00:00.000Z",
    });
    expect(english.rows?.[0]?.submitted).toMatch(/1 May 2025|May 1, 2025/);
    const french = await load(caseworker, path, { Cookie: "staff-lang=fr" });
    expect(french.rows?.[0]?.nationality).toBe("Érythrée");
    expect(french.rows?.[0]?.submitted).toContain("mai 2025");
    expect(french.nationalities.map((n) => n.code)).toEqual(["AF", "ER", "SD", "stateless"]);
    expect(french.nationalities.at(-1)).toEqual({ code: "stateless", name: null });
  });

  it("answers a bad filter or cursor with the errors to show, not a crash", async () => {
    const bad = await load(caseworker, "/staff/cases?status=draft&cursor=bm9wZQ&q=Amina");
    expect(bad).toMatchObject({
      status: 400,
      rows: null,
      nextHref: null,
      titleKey: "queue:titleWithError",
      errors: { status: "queue:errors.status", cursor: "queue:errors.cursor" },
      firstPageHref: "/staff/cases?status=draft",
    });
    // A search text in the URL (an old bookmark) is not read.
    expect(bad.values.q).toBeUndefined();
    // An edited cursor that is still well formed only moves where the page starts.
    const id = crypto.randomUUID();
    const edited = await load(
      caseworker,
      `/staff/cases?cursor=${encodeCursor({ submittedAt: timestamp([0, 0]), id })}`,
    );
    expect(edited.status).toBe(200);
    expect(edited.rows?.map((r) => r.id)).toEqual(
      oldestFirst(seeded.filter((s) => s.at[0] > 0 || s.id > id)).slice(0, 50),
    );
  });

  it("keeps a name searched for out of the URL: the form posts, the URL carries an id for it", async () => {
    const posted = await search(caseworker, { q: ` ${SEARCHED} `, status: "", flag: "", sort: "newest" });
    expect(posted.status).toBe(303);
    expect(posted.location).toMatch(/^\/staff\/cases\?sort=newest&search=[\w-]{20,}$/);
    const page = await load(caseworker, posted.location as string);
    expect(page.status).toBe(200);
    expect(page.rows?.map((r) => r.id)).toEqual(oldestFirst([seeded[10], seeded[20]] as Seeded[]).reverse());
    // The form shows what was searched for; no address on the page repeats it.
    expect(page.values).toMatchObject({ q: SEARCHED, sort: "newest" });
    const words = SEARCHED.toLowerCase()
      .split(/\W+/)
      .filter((w) => w.length > 2);
    for (const href of [posted.location, page.firstPageHref, page.nextHref].filter(Boolean))
      for (const word of words) expect(decodeURIComponent(href as string).toLowerCase()).not.toContain(word);

    // No search text, no id; paging keeps the search by its id.
    expect((await search(caseworker, { q: "", status: "" })).location).toBe("/staff/cases");
    const searchId = new URL(posted.location as string, "http://x").searchParams.get("search");
    const again = await load(
      caseworker,
      `/staff/cases?search=${searchId}&cursor=${encodeCursor({ submittedAt: timestamp([0, 0]), id: crypto.randomUUID() })}`,
    );
    expect(again.firstPageHref).toBe(`/staff/cases?search=${searchId}`);
    expect(again.values.q).toBe(SEARCHED);
  });

  it("says to search again when the URL's search is not this session's (a shared link, or a new sign-in)", async () => {
    const { location } = await search(caseworker, { q: SEARCHED, status: "submitted" });
    const colleague = await signedInStaff("caseworker");
    const shared = await load(colleague, location as string);
    expect(shared).toMatchObject({
      status: 400,
      rows: null,
      titleKey: "queue:titleWithError",
      errors: { q: "queue:errors.searchGone" },
      values: { status: "submitted" },
    });
    expect(shared.values.q).toBeUndefined();
  });

  it("answers a search it refuses with the errors and what was typed, and saves nothing", async () => {
    const refused = await search(caseworker, { q: "!!!", status: "draft" });
    expect(refused).toMatchObject({
      status: 422,
      location: null,
      errors: { q: "queue:errors.q", status: "queue:errors.status" },
      values: { q: "!!!", status: "draft" },
    });
  });

  it("refuses other roles, and sends the signed-out to sign in", async () => {
    await expect(load(auditor, "/staff/cases")).rejects.toMatchObject({ status: 403 });
    await expect(search(auditor, { q: SEARCHED })).rejects.toMatchObject({ status: 403 });
    const thrown = await load(null, "/staff/cases?status=selected").catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(302);
    expect((thrown as Response).headers.get("Location")).toBe(
      `/staff/sign-in?next=${encodeURIComponent("/staff/cases?status=selected")}`,
    );
  });
});
