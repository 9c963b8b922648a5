import type { AppLoadContext } from "@remix-run/node";
import { and, eq, sql } from "drizzle-orm";
import { type ComponentProps, createElement } from "react";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { auditLog, eois, familyGroups, matches, notifications } from "#db/schema";
import { decryptJson } from "~/.server/crypto.server";
import { db } from "~/.server/db.server";
import { commitSession, getSession } from "~/.server/session.server";
import { matchNext } from "~/domain/matching/matching.service.server";
import { addDays, parisDay } from "~/domain/windows/windows.rules";
import { formatDay } from "~/i18n/format";
import * as application from "~/routes/lang/status/application";
import * as matchPage from "~/routes/staff/matching/match";
import * as queuePage from "~/routes/staff/matching/queue";
import { setupTestDatabase } from "../../support/db";
import { openWindowNow } from "../../support/eoi";
import { render } from "../../support/i18n";
import { routeContext, signedInStaff, staffRequest, type TestStaff } from "../../support/staff";
import { approvedEois, approvedFamily, registerReturns, resetMatching } from "./support";

const database = setupTestDatabase("matching-routes");

// The pages are rendered on the server with what their loader and action returned, outside Remix:
// the hooks read these, and forms render as plain forms.
const shown = vi.hoisted(() => ({ loaderData: undefined as unknown, actionData: undefined as unknown }));
vi.mock("@remix-run/react", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@remix-run/react")>()),
  useLoaderData: () => shown.loaderData,
  useActionData: () => shown.actionData,
  useRouteLoaderData: () => ({ csrfToken: "token" }),
  useParams: () => ({ lang: "en" }),
  Form: ({ reloadDocument: _, ...props }: ComponentProps<"form"> & { reloadDocument?: boolean }) =>
    createElement("form", props),
}));

/** The page's HTML as the server would send it, in the staff member's language. */
function html(page: { default: () => unknown }, loaderData: unknown, actionData?: unknown, lang = "en") {
  shown.loaderData = loaderData;
  shown.actionData =
    actionData && "data" in (actionData as object) ? (actionData as { data: unknown }).data : actionData;
  return render(createElement(page.default as () => null), lang);
}

/** Text left untranslated: a key such as "queue.title" or "matching:errors.notMatchable". */
const untranslated = (markup: string) =>
  markup
    .replace(/<[^>]+>/g, " ")
    .match(
      /\b(?:matching:|case:|staff:|common:)?(?:queue|capacity|result|matches|match|errors|bands|fields|statuses|layout|components)\.[\w.]+/g,
    );

const context = routeContext as AppLoadContext;
// Loaders and actions return data, data(...) (init + data) or a Response, or throw a Response.
// biome-ignore lint/suspicious/noExplicitAny: route results are checked by the assertions
type Result = any;
type Handler = (args: {
  request: Request;
  params: Record<string, string>;
  context: AppLoadContext;
}) => unknown;

async function call(
  handler: Handler,
  request: Request,
  params: Record<string, string> = {},
): Promise<Result> {
  try {
    return await handler({ request, params, context });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
const location = (r: Result) => (r instanceof Response ? r.headers.get("Location") : null);
const queue = (who: TestStaff, query = "") =>
  call(queuePage.loader, staffRequest(who, `/staff/matching${query}`));
const post = (who: TestStaff, form: Record<string, string>) =>
  call(queuePage.action, staffRequest(who, "/staff/matching", form));
const matchGet = (who: TestStaff, id: string, query = "") =>
  call(matchPage.loader, staffRequest(who, `/staff/matching/matches/${id}${query}`), { id });
const matchPost = (who: TestStaff, id: string, form: Record<string, string>) =>
  call(matchPage.action, staffRequest(who, `/staff/matching/matches/${id}`, form), { id });

let officer: TestStaff;
let admin: TestStaff;
let caseworker: TestStaff;
let windowId: string;

beforeAll(async () => {
  officer = await signedInStaff("matching_officer");
  admin = await signedInStaff("admin");
  caseworker = await signedInStaff("caseworker");
});

beforeEach(async () => {
  // Each test starts from an empty queue and register, under the default strict policy.
  await resetMatching(database.db);
  windowId = await openWindowNow();
});

const referenceOf = async (id: string) =>
  (await db().select({ reference: eois.reference }).from(eois).where(eq(eois.id, id)))[0]
    ?.reference as string;
const familyReferenceOf = async (groupId: string) =>
  (
    await db()
      .select({ reference: familyGroups.familyReference })
      .from(familyGroups)
      .where(eq(familyGroups.id, groupId))
  )[0]?.reference as string;
const statusOf = async (id: string) =>
  (await db().select({ status: eois.status }).from(eois).where(eq(eois.id, id)))[0]?.status;
const matchOf = async (eoiId: string) =>
  (await db().select().from(matches).where(eq(matches.eoiId, eoiId)))[0];

describe("the queue page", () => {
  it("lists matching units in the service's order: band, earliest submission, families together", async () => {
    const [late] = await approvedEois(db(), 1, { windowId, priority: 3, submittedFrom: daysAgo(20) });
    const [vulnerable] = await approvedEois(db(), 1, { windowId, priority: 0, submittedFrom: daysAgo(1) });
    // A family takes its best member's band (1) and its earliest submission (30 days ago).
    const family = await approvedFamily(db(), 2, { windowId, priority: 3, submittedFrom: daysAgo(30) });
    await db()
      .update(eois)
      .set({ matchPriority: 1, submittedAt: daysAgo(2) })
      .where(eq(eois.id, family.ids[1] as string));
    const [ukFamily] = await approvedEois(db(), 1, { windowId, priority: 1, submittedFrom: daysAgo(10) });
    // A family with a member still on the way to approval waits, at its place, marked.
    const waiting = await approvedFamily(db(), 2, { windowId, priority: 2, submittedFrom: daysAgo(5) });
    await db()
      .update(eois)
      .set({ status: "biometrics_enrolled" })
      .where(eq(eois.id, waiting.ids[1] as string));

    const page = await queue(officer);

    expect(page.canRun).toBe(true);
    expect(page.waitingPeople).toBe("6");
    expect(page.units.map((u: { unitId: string }) => u.unitId)).toEqual([
      vulnerable,
      family.familyGroupId,
      ukFamily,
      waiting.familyGroupId,
      late,
    ]);
    const [first, fam, , wait] = page.units;
    expect(first).toMatchObject({ band: 0, size: "1", familyReference: null, waitingForFamily: null });
    expect(first.references).toEqual([await referenceOf(vulnerable as string)]);
    expect(fam).toMatchObject({
      band: 1,
      size: "2",
      familyReference: await familyReferenceOf(family.familyGroupId),
      label: await familyReferenceOf(family.familyGroupId),
      matchWith: family.ids[0],
    });
    expect(fam.references).toEqual([
      await referenceOf(family.ids[0] as string),
      await referenceOf(family.ids[1] as string),
    ]);
    expect(wait).toMatchObject({ band: 2, size: "1", waitingForFamily: "1" });
    expect(page.capacity).toMatchObject({
      policy: "strict",
      freeReturns: "0",
      places: "0",
      limitedBy: "returns",
    });
    // References only: no names reach the page.
    expect(JSON.stringify(page)).not.toMatch(/Returned|Amina|Haddad/);

    const markup = html(queuePage, page);
    expect(untranslated(markup)).toBeNull();
    expect(markup).toContain("Number of people to match");
    expect(markup).toContain("Match the next people");
    expect(markup).toContain(`id="match-${vulnerable}"`);
    expect(markup).toContain(`id="match-${family.ids[0]}"`);
    // The waiting family has no button, and says why.
    expect(markup).not.toContain(`id="match-${waiting.ids[0]}"`);
    expect(markup).toContain("Waiting for the family");
    expect(markup).toContain("Vulnerable");
    expect(untranslated(html(queuePage, page, undefined, "fr"))).toBeNull();
  });

  it("pages through the queue 50 units at a time without repeating or skipping anyone", async () => {
    const people = await approvedEois(db(), 55, { windowId });
    const first = await queue(officer);
    expect(first.units).toHaveLength(50);
    expect(first.firstPage).toBe(true);
    expect(first.nextPage).toEqual(expect.any(String));
    const second = await queue(officer, `?after=${first.nextPage}`);
    expect(second.firstPage).toBe(false);
    expect(second.nextPage).toBeNull();
    expect([...first.units, ...second.units].map((u: { unitId: string }) => u.unitId)).toEqual(people);
    // A cursor this service did not write shows the first page.
    expect((await queue(officer, "?after=bm9wZQ")).units[0].unitId).toBe(people[0]);
  });

  it("leaves out applicants a run has just matched, before the announcement reaches their status", async () => {
    const [first, second] = await approvedEois(db(), 2, { windowId });
    await registerReturns(db(), 1);
    await matchNext(1, officer.actor);
    expect(await statusOf(first as string)).toBe("approved");

    const page = await queue(officer);
    expect(page.units.map((u: { unitId: string }) => u.unitId)).toEqual([second]);
    expect(page.waitingPeople).toBe("1");
  });

  it("is read-only for admins, and refused to caseworkers", async () => {
    await approvedEois(db(), 1, { windowId });
    const readOnly = await queue(admin);
    expect(readOnly.canRun).toBe(false);
    const markup = html(queuePage, readOnly);
    expect(markup).not.toContain("Match the next people");
    expect(markup).not.toContain('name="intent"');
    expect((await queue(caseworker)).status).toBe(403);
  });
});

describe("matching from the queue page", () => {
  it("matches the next N, whole families, then redirects to the page with the run's result", async () => {
    const family = await approvedFamily(db(), 2, { windowId, priority: 1 });
    const singles = await approvedEois(db(), 2, { windowId, priority: 3, lang: "ar" });
    await registerReturns(db(), 3);

    const response = await post(officer, { intent: "match-next", count: "3" });

    expect(response.status).toBe(303);
    expect(location(response)).toMatch(
      /^\/staff\/matching\?done=run&requested=3&matched=3&families=1&ahead=0&run=[0-9a-f-]{36}$/,
    );
    // The route announced the run: statuses and "place confirmed" messages, in each one's language.
    for (const id of [...family.ids, singles[0] as string]) expect(await statusOf(id)).toBe("matched");
    expect(await statusOf(singles[1] as string)).toBe("approved");
    const told = await db()
      .select()
      .from(notifications)
      .where(
        and(eq(notifications.eoiId, singles[0] as string), eq(notifications.template, "status.matched")),
      );
    expect(told.map((n) => n.lang)).toEqual(["ar"]);

    const page = await queue(officer, (location(response) as string).slice("/staff/matching".length));
    expect(page.summary).toEqual({
      kind: "run",
      requested: 3,
      matched: 3,
      families: 1,
      ahead: 0,
      reference: null,
      runId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      shortfall: null,
      needed: null,
      left: null,
      matchedInRun: expect.any(Array),
    });
    // Whom this run matched, each linking to its match.
    expect(page.summary.matchedInRun.map((m: { reference: string }) => m.reference).sort()).toEqual(
      (await Promise.all([...family.ids, singles[0] as string].map(referenceOf))).sort(),
    );
    expect(page.matches.map((m: { reference: string }) => m.reference).sort()).toEqual(
      (await Promise.all([...family.ids, singles[0] as string].map(referenceOf))).sort(),
    );
    expect(page.matches[0]).toMatchObject({
      travel: null,
      arrived: null,
      personRef: expect.stringMatching(/^RET-/),
    });
    const markup = html(queuePage, page);
    expect(markup).toContain('data-testid="match-result"');
    expect(markup).toContain("People matched: 3");
    expect(markup).toContain("Families among them: 1");
    expect(markup.match(/data-testid="match-row"/g)).toHaveLength(3);
    expect(markup.match(/data-testid="run-match"/g)).toHaveLength(3);
    expect(untranslated(markup)).toBeNull();
  });

  it("says why fewer people were matched than asked", async () => {
    await approvedEois(db(), 4, { windowId });
    await registerReturns(db(), 2);
    expect(location(await post(officer, { intent: "match-next", count: "10" }))).toMatch(
      /matched=2&families=0&ahead=0&run=[0-9a-f-]{36}&short=returns$/,
    );

    // The next in the queue is a family of three, and one place is left.
    await db().execute(sql`update eois set status = 'withdrawn' where status = 'approved'`);
    await approvedFamily(db(), 3, { windowId, priority: 0 });
    await registerReturns(db(), 1);
    const family = location(await post(officer, { intent: "match-next", count: "5" })) as string;
    expect(family).toContain("matched=0&families=0&ahead=0&short=family&needed=3&left=1");
    expect(html(queuePage, await queue(officer, family.slice("/staff/matching".length)))).toContain(
      "the next in the queue is a family of 3 people, and places left in this run: 1",
    );

    await db().execute(sql`update eois set status = 'withdrawn' where status = 'approved'`);
    const nobody = location(await post(officer, { intent: "match-next", count: "5" })) as string;
    expect(nobody).toContain("short=nobody");
    const page = await queue(officer, nobody.slice("/staff/matching".length));
    expect(page.summary).toMatchObject({ kind: "run", matched: 0, shortfall: "nobody" });
  });

  it("refuses a number of people that is not a whole number from 1 to 500 (422, nothing matched)", async () => {
    await approvedEois(db(), 1, { windowId });
    await registerReturns(db(), 1);
    for (const [count, code] of [
      ["", "required"],
      ["0", "invalid"],
      ["501", "invalid"],
      ["2.5", "invalid"],
      ["ten", "invalid"],
      ["1000", "tooLong"],
    ]) {
      const result = await post(officer, { intent: "match-next", count: count as string });
      expect(result.init?.status, count).toBe(422);
      expect(result.data.errors, count).toEqual({ count: `matching:fields.count.errors.${code}` });
      expect(result.data.values).toEqual({ count });
    }
    const markup = html(
      queuePage,
      await queue(officer),
      await post(officer, { intent: "match-next", count: "0" }),
    );
    expect(markup).toContain('href="#count"');
    expect(markup.match(/Enter a whole number from 1 to 500/g)).toHaveLength(2);
    expect(markup).toContain('value="0"');
    expect(await db().select().from(matches)).toHaveLength(0);
  });

  it("matches one case with its family, or says in words why it cannot", async () => {
    await approvedEois(db(), 2, { windowId, priority: 0 });
    const family = await approvedFamily(db(), 3, { windowId, priority: 3 });
    await registerReturns(db(), 2);

    const refused = await post(officer, { intent: "match-unit", eoi: family.ids[1] as string });
    expect(refused.init.status).toBe(422);
    expect(refused.data).toMatchObject({
      errors: { unit: "matching:errors.notEnoughPlaces.family" },
      unit: family.ids[1],
      params: { needed: 3, places: 2, limit: "returns" },
    });
    const refusal =
      "This family needs 3 places. Places available now: 2. Limited by the completed returns free under the parity policy.";
    const markup = html(queuePage, await queue(officer), refused);
    expect(markup).toContain(`href="#match-${family.ids[1]}"`);
    expect(markup.split(refusal)).toHaveLength(2);
    expect(html(queuePage, await queue(officer), refused, "fr")).toContain(
      "Cette famille a besoin de 3 places.",
    );

    await registerReturns(db(), 1);
    const done = await post(officer, { intent: "match-unit", eoi: family.ids[1] as string });
    expect(location(done)).toMatch(
      new RegExp(
        `^/staff/matching\\?done=unit&matched=3&families=1&ahead=0&run=[0-9a-f-]{36}&ref=${await familyReferenceOf(family.familyGroupId)}$`,
      ),
    );
    for (const id of family.ids) expect(await statusOf(id)).toBe("matched");
    const page = await queue(officer, (location(done) as string).slice("/staff/matching".length));
    expect(page.summary).toMatchObject({ kind: "unit", matched: 3, reference: expect.stringMatching(/^F-/) });

    // Matched already: not matchable any more. A single applicant with no place left.
    const again = await post(officer, { intent: "match-unit", eoi: family.ids[0] as string });
    expect(again.data.errors).toEqual({ unit: "matching:errors.notMatchable" });
    const [single] = await approvedEois(db(), 1, { windowId });
    const none = await post(officer, { intent: "match-unit", eoi: single as string });
    expect(none.data).toMatchObject({
      errors: { unit: "matching:errors.notEnoughPlaces.one" },
      params: { needed: 1, places: 0 },
    });
    expect((await post(officer, { intent: "match-unit", eoi: "not-a-uuid" })).status).toBe(400);
  });

  it("refuses a family still waiting for a member", async () => {
    const family = await approvedFamily(db(), 2, { windowId });
    await db()
      .update(eois)
      .set({ status: "appointment_booked" })
      .where(eq(eois.id, family.ids[1] as string));
    await registerReturns(db(), 2);
    const result = await post(officer, { intent: "match-unit", eoi: family.ids[0] as string });
    expect(result.data.errors).toEqual({ unit: "matching:errors.notMatchable" });
  });

  it("refuses admins both actions (403), whatever they post", async () => {
    const [person] = await approvedEois(db(), 1, { windowId });
    await registerReturns(db(), 1);
    expect((await post(admin, { intent: "match-next", count: "1" })).status).toBe(403);
    expect((await post(admin, { intent: "match-unit", eoi: person as string })).status).toBe(403);
    expect(await db().select().from(matches)).toHaveLength(0);
  });
});

/** One approved applicant matched to a completed return, announced; returns the match id. */
async function matched(lang = "fr"): Promise<{ eoiId: string; matchId: string }> {
  const [eoiId] = await approvedEois(db(), 1, { windowId, lang });
  await registerReturns(db(), 1);
  await post(officer, { intent: "match-next", count: "1" });
  const match = await matchOf(eoiId as string);
  return { eoiId: eoiId as string, matchId: match?.id as string };
}

const dateForm = (day: string) => {
  const [year, month, date] = day.split("-");
  return {
    "travelDate-day": String(Number(date)),
    "travelDate-month": String(Number(month)),
    "travelDate-year": year as string,
  };
};

describe("the match page", () => {
  it("shows the match, and 404 for an unknown or malformed id", async () => {
    const { eoiId, matchId } = await matched();
    const page = await matchGet(officer, matchId);
    expect(page.match).toMatchObject({
      id: matchId,
      reference: await referenceOf(eoiId),
      status: "matched",
      personRef: expect.stringMatching(/^RET-/),
      matchedBy: "Test matching_officer",
      ranAhead: false,
      travel: null,
      arrived: null,
      unmatched: null,
    });
    expect(page.can).toEqual({ travel: true, arrival: true, unmatch: true });
    const markup = html(matchPage, page);
    expect(untranslated(markup)).toBeNull();
    for (const text of [
      "Travel date directed by the Home Office",
      "Record arrival in the UK",
      "Why are you undoing this match?",
      "Another reason",
      "Details",
      ">Unmatch<",
    ])
      expect(markup, text).toContain(text);
    expect(untranslated(html(matchPage, page, undefined, "fr"))).toBeNull();
    expect((await matchGet(officer, "0b6f1c52-7a43-4d3e-9f61-2f0e4a1c9d11")).status).toBe(404);
    expect((await matchGet(officer, "nope")).status).toBe(404);
    expect((await matchPost(officer, "nope", { intent: "arrival" })).status).toBe(404);
  });

  it("records the travel date (not in the past) and tells the applicant in their language", async () => {
    const { eoiId, matchId } = await matched("ar");
    const today = parisDay(new Date());

    const past = await matchPost(officer, matchId, { intent: "travel", ...dateForm(addDays(today, -1)) });
    expect(past.init.status).toBe(422);
    expect(past.data.errors).toEqual({ travelDate: "matching:fields.travelDate.errors.past" });
    const withError = html(matchPage, await matchGet(officer, matchId), past);
    expect(withError).toContain('href="#travelDate-day"');
    expect(withError.match(/The travel date cannot be in the past/g)).toHaveLength(2);
    const incomplete = await matchPost(officer, matchId, {
      intent: "travel",
      "travelDate-day": "4",
      "travelDate-month": "",
      "travelDate-year": "2030",
    });
    expect(incomplete.data.errors).toEqual({ travelDate: "matching:fields.travelDate.errors.incomplete" });

    const day = addDays(today, 10);
    const saved = await matchPost(officer, matchId, { intent: "travel", ...dateForm(day) });
    expect(location(saved)).toBe(`/staff/matching/matches/${matchId}?done=travel`);
    expect((await matchOf(eoiId))?.travelDate).toBe(day);
    // The same date again sends nothing more.
    await matchPost(officer, matchId, { intent: "travel", ...dateForm(day) });
    const told = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.eoiId, eoiId), eq(notifications.template, "travel.directed")));
    expect(told.map((n) => n.lang)).toEqual(["ar"]);
    expect(decryptJson<Record<string, string>>(told[0]?.paramsEnc ?? "")).toEqual({
      reference: await referenceOf(eoiId),
      date: formatDay(day, "ar"),
    });
    const [audited] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, eoiId), eq(auditLog.action, "matching.travel_recorded")));
    expect(audited).toMatchObject({ actorId: officer.id, details: { match: matchId, travelDate: day } });
    expect((await matchGet(officer, matchId, "?done=travel")).done).toBe("travel");
    expect((await matchGet(officer, matchId)).match.travelValues).toEqual(dateForm(day));
  });

  it("shows the applicant their travel date on the status page once a place is confirmed", async () => {
    const { eoiId, matchId } = await matched("en");
    const session = await getSession(new Request("http://localhost/en/status"));
    session.set("statusEoiId", eoiId);
    const applicant = { cookie: (await commitSession(session, 15)).split(";")[0] as string };
    const statusPage = () =>
      call(application.loader, staffRequest(applicant as TestStaff, "/en/status/application"), {
        lang: "en",
      });

    expect((await statusPage()).data).toMatchObject({ status: "matched", travelDate: null });
    const day = addDays(parisDay(new Date()), 30);
    await matchPost(officer, matchId, { intent: "travel", ...dateForm(day) });
    const page = await statusPage();
    expect(page.data).toMatchObject({ status: "matched", travelDate: formatDay(day, "en") });
    expect(html(application, page.data)).toContain(`Travel date: ${formatDay(day, "en")}`);
  });

  it("records the arrival once: the applicant's status becomes 'arrived' and the match is closed", async () => {
    const { eoiId, matchId } = await matched();
    expect(location(await matchPost(officer, matchId, { intent: "arrival" }))).toBe(
      `/staff/matching/matches/${matchId}?done=arrival`,
    );
    expect(await statusOf(eoiId)).toBe("arrived");
    expect(location(await matchPost(officer, matchId, { intent: "arrival" }))).toBe(
      `/staff/matching/matches/${matchId}?refused=closed`,
    );
    // After arrival nothing can be changed or undone.
    const page = await matchGet(officer, matchId);
    expect(page.can).toEqual({ travel: false, arrival: false, unmatch: false });
    expect(page.match.arrived).toEqual(expect.any(String));
    const late = await matchPost(officer, matchId, { intent: "unmatch", unmatchReason: "matched_in_error" });
    expect(location(late)).toBe(`/staff/matching/matches/${matchId}?refused=closed`);
    expect(await statusOf(eoiId)).toBe("arrived");
  });

  it("unmatches only with a reason, and a note for 'other': the applicant waits again, audited", async () => {
    const { eoiId, matchId } = await matched();

    const noReason = await matchPost(officer, matchId, { intent: "unmatch", unmatchNote: "" });
    expect(noReason.init.status).toBe(422);
    expect(noReason.data.errors).toEqual({ unmatchReason: "matching:fields.unmatchReason.errors.required" });
    const otherWithoutNote = await matchPost(officer, matchId, { intent: "unmatch", unmatchReason: "other" });
    expect(otherWithoutNote.init.status).toBe(422);
    expect(otherWithoutNote.data.errors).toEqual({
      unmatchNote: "matching:fields.unmatchNote.errors.requiredForOther",
    });
    const tooLong = await matchPost(officer, matchId, {
      intent: "unmatch",
      unmatchReason: "other",
      unmatchNote: "x".repeat(501),
    });
    expect(tooLong.data.errors).toEqual({ unmatchNote: "matching:fields.unmatchNote.errors.tooLong" });
    expect(await statusOf(eoiId)).toBe("matched");

    const done = await matchPost(officer, matchId, {
      intent: "unmatch",
      unmatchReason: "other",
      unmatchNote: "Flight cancelled by the carrier",
    });
    expect(location(done)).toBe(`/staff/matching/matches/${matchId}?done=unmatched`);
    expect(await statusOf(eoiId)).toBe("approved");
    const [audited] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, eoiId), eq(auditLog.action, "matching.unmatched")));
    expect(audited).toMatchObject({
      actorId: officer.id,
      details: { match: matchId, reason: "other", note: "Flight cancelled by the carrier" },
    });
    const page = await matchGet(officer, matchId);
    expect(page.match.unmatched).toMatchObject({
      by: "Test matching_officer",
      reason: "other",
      note: "Flight cancelled by the carrier",
    });
    expect(page.can).toEqual({ travel: false, arrival: false, unmatch: false });
    const markup = html(matchPage, page);
    expect(markup).toContain("Another reason");
    expect(markup).toContain("Flight cancelled by the carrier");
    expect(markup).not.toContain(">Unmatch<");
    // Back in the queue, in their place.
    expect((await queue(officer)).units.map((u: { unitId: string }) => u.unitId)).toEqual([eoiId]);
  });

  it("lets admins read the match but not change it (403)", async () => {
    const { matchId } = await matched();
    expect((await matchGet(admin, matchId)).can).toEqual({ travel: false, arrival: false, unmatch: false });
    const forms: Record<string, string>[] = [
      { intent: "travel", ...dateForm(addDays(parisDay(new Date()), 3)) },
      { intent: "arrival" },
      { intent: "unmatch", unmatchReason: "matched_in_error" },
    ];
    for (const form of forms) expect((await matchPost(admin, matchId, form)).status, form.intent).toBe(403);
    expect((await matchPost(officer, matchId, { intent: "delete" })).status).toBe(400);
    // Names every object has are no intent either (tests/fuzz/actions.test.ts: they were a 500).
    for (const intent of ["__proto__", "constructor"])
      expect((await matchPost(officer, matchId, { intent })).status, intent).toBe(400);
    expect((await matchGet(caseworker, matchId)).status).toBe(403);
  });
});
