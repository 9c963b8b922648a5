import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import {
  admissionWeeks,
  auditLog,
  eois,
  matches,
  notifications,
  schemeSettings,
  statusHistory,
} from "#db/schema";
import type { Actor } from "~/domain/audit/audit.server";
import { announceMatches } from "~/domain/matching/announce.server";
import {
  backAheadAdmissions,
  MatchNotFoundError,
  matchCase,
  matchNext,
  NotEnoughPlacesError,
  NotMatchableError,
  recordArrival,
  recordTravel,
  unmatch,
} from "~/domain/matching/matching.service.server";
import { changeStatus } from "~/domain/status/status.service.server";
import { setupTestDatabase } from "../../support/db";
import { openWindowNow } from "../../support/eoi";
import { signedInStaff } from "../../support/staff";
import { approvedEois, approvedFamily, registerReturns, resetMatching, setPolicy } from "./support";

const database = setupTestDatabase("matching");

let officer: Actor;
let windowId: string;

beforeEach(async () => {
  // Each test starts from an empty queue and register, under the default strict policy.
  await resetMatching(database.db);
  windowId = await openWindowNow();
  const staff = await signedInStaff("matching_officer");
  officer = { type: "staff", id: staff.id, ip: "127.0.0.1", requestId: "test" };
});

async function activeMatches() {
  return database.db
    .select({ eoiId: matches.eoiId, returnCaseId: matches.returnCaseId })
    .from(matches)
    .where(isNull(matches.unmatchedAt));
}

async function statusOf(ids: string[]) {
  const rows = await database.db
    .select({ id: eois.id, status: eois.status })
    .from(eois)
    .where(inArray(eois.id, ids));
  return Object.fromEntries(rows.map((r) => [r.id, r.status]));
}

async function settings() {
  const [row] = await database.db.select().from(schemeSettings);
  return row;
}

describe("match the next N under the strict policy", () => {
  it("matches one approved applicant per free completed return, oldest return first, and says returns ran out", async () => {
    const people = await approvedEois(database.db, 5, { windowId });
    const returns = await registerReturns(database.db, 3);
    await registerReturns(database.db, 2, { stage: "removal_directions" });

    const result = await matchNext(10, officer);

    expect(result).toMatchObject({ matched: 3, families: 0, ahead: 0, places: 3, limitedBy: "returns" });
    const active = await activeMatches();
    expect(active.map((m) => m.eoiId).sort()).toEqual(people.slice(0, 3).sort());
    expect(active.map((m) => m.returnCaseId).sort()).toEqual([...returns].sort());
    // The earliest submission gets the oldest return.
    expect(active.find((m) => m.eoiId === people[0])?.returnCaseId).toBe(returns[0]);
    // The run writes the matches; the announcement takes them to the applicants' records.
    expect(Object.values(await statusOf(people)).every((s) => s === "approved")).toBe(true);
    expect(await announceMatches()).toBe(3);
    const statuses = await statusOf(people);
    expect(people.map((p) => statuses[p])).toEqual(["matched", "matched", "matched", "approved", "approved"]);
    const history = await database.db
      .select()
      .from(statusHistory)
      .where(eq(statusHistory.toStatus, "matched"));
    expect(history).toHaveLength(3);
    expect(history[0]).toMatchObject({ fromStatus: "approved", actorType: "staff", actorId: officer.id });
    const audited = await database.db.select().from(auditLog).where(eq(auditLog.action, "status.matched"));
    expect(audited.map((a) => a.subjectId).sort()).toEqual(people.slice(0, 3).sort());
    const [run] = await database.db.select().from(auditLog).where(eq(auditLog.action, "matching.run"));
    expect(run?.details).toMatchObject({ requested: 10, matched: 3, run: result.runId });
    // Matched people have left the queue: a second run finds nobody for the two new returns.
    await registerReturns(database.db, 1);
    expect((await matchNext(10, officer)).matched).toBe(1);
  });

  it("takes an applicant matched a moment ago to 'matched' before any other change to their case", async () => {
    const [person] = await approvedEois(database.db, 1, { windowId });
    await registerReturns(database.db, 1);
    await matchNext(1, officer);

    await database.db.transaction((tx) =>
      changeStatus(tx, person as string, "withdrawn", { type: "applicant", id: person }),
    );

    const history = await database.db
      .select({ from: statusHistory.fromStatus, to: statusHistory.toStatus })
      .from(statusHistory)
      .where(eq(statusHistory.eoiId, person as string))
      .orderBy(statusHistory.at);
    expect(history).toEqual([
      { from: "approved", to: "matched" },
      { from: "matched", to: "withdrawn" },
    ]);
    // Withdrawing gave the return back.
    expect(await activeMatches()).toHaveLength(0);
    expect(await announceMatches()).toBe(0);
  });

  it("takes priority bands before submission time", async () => {
    const early = await approvedEois(database.db, 2, { windowId, priority: 3 });
    const [vulnerable] = await approvedEois(database.db, 1, {
      windowId,
      priority: 0,
      submittedFrom: new Date(),
    });
    await registerReturns(database.db, 2);

    await matchNext(2, officer);

    expect((await activeMatches()).map((m) => m.eoiId).sort()).toEqual([vulnerable, early[0]].sort());
  });

  it("matches a family whole, and a family that does not fit stops the run rather than being overtaken", async () => {
    const family = await approvedFamily(database.db, 2, { windowId, priority: 1 });
    const [single] = await approvedEois(database.db, 1, { windowId, priority: 3 });
    await registerReturns(database.db, 1);

    const blocked = await matchNext(5, officer);
    expect(blocked.matched).toBe(0);
    expect(await activeMatches()).toHaveLength(0);

    await registerReturns(database.db, 2);
    const result = await matchNext(3, officer);
    expect(result).toMatchObject({ matched: 3, families: 1 });
    expect((await activeMatches()).map((m) => m.eoiId).sort()).toEqual([...family.ids, single].sort());
  });

  it("keeps a family waiting while a member is still on the way to approval", async () => {
    const family = await approvedFamily(database.db, 2, { windowId });
    await database.db
      .update(eois)
      .set({ status: "biometrics_enrolled" })
      .where(eq(eois.id, family.ids[1] as string));
    const [single] = await approvedEois(database.db, 1, { windowId, submittedFrom: new Date() });
    await registerReturns(database.db, 3);

    expect((await matchNext(3, officer)).matched).toBe(1);
    expect((await activeMatches()).map((m) => m.eoiId)).toEqual([single]);
    await expect(matchCase(family.ids[0] as string, officer)).rejects.toBeInstanceOf(NotMatchableError);
  });

  it("matches one chosen case with its family, out of queue order, if there are places for all", async () => {
    await approvedEois(database.db, 3, { windowId, priority: 0 });
    const family = await approvedFamily(database.db, 3, { windowId, priority: 3 });
    await registerReturns(database.db, 2);

    const refused = await matchCase(family.ids[1] as string, officer).catch((e) => e);
    expect(refused).toBeInstanceOf(NotEnoughPlacesError);
    expect(refused).toMatchObject({ needed: 3, places: 2, limitedBy: "returns" });

    await registerReturns(database.db, 1);
    const result = await matchCase(family.ids[1] as string, officer);
    expect(result).toMatchObject({ matched: 3, families: 1 });
    expect((await activeMatches()).map((m) => m.eoiId).sort()).toEqual([...family.ids].sort());
  });
});

describe("other parity policies and the weekly cap", () => {
  it("under tolerance N lets admissions run ahead by N, then gives them the next completed returns first", async () => {
    await setPolicy(database.db, "tolerance", { tolerance: 2 });
    const people = await approvedEois(database.db, 5, { windowId });

    expect(await matchNext(5, officer)).toMatchObject({ matched: 2, ahead: 2, limitedBy: "returns" });
    expect((await settings())?.admissionsAhead).toBe(2);

    const [completed] = await registerReturns(database.db, 1);
    await database.db.transaction((tx) => backAheadAdmissions(tx, officer));
    expect((await settings())?.admissionsAhead).toBe(1);
    const backed = (await activeMatches()).find((m) => m.returnCaseId === completed);
    expect(backed?.eoiId).toBe(people[0]);

    // One place of the tolerance is free again.
    expect(await matchNext(5, officer)).toMatchObject({ matched: 1, ahead: 1 });
    expect((await settings())?.admissionsAhead).toBe(2);
  });

  it("under reporting-only matches everyone waiting, with returns where there are some", async () => {
    await setPolicy(database.db, "reporting-only");
    await approvedEois(database.db, 4, { windowId });
    await registerReturns(database.db, 1);

    expect(await matchNext(10, officer)).toMatchObject({ matched: 4, ahead: 3, limitedBy: null });
  });

  it("holds the weekly cap under every policy", async () => {
    await setPolicy(database.db, "strict", { weeklyCap: 3 });
    await approvedEois(database.db, 10, { windowId });
    await registerReturns(database.db, 10);

    expect(await matchNext(2, officer)).toMatchObject({ matched: 2 });
    expect(await matchNext(10, officer)).toMatchObject({ matched: 1, limitedBy: "weekly_cap" });
    expect(await matchNext(10, officer)).toMatchObject({ matched: 0, places: 0, limitedBy: "weekly_cap" });
    const [week] = await database.db.select().from(admissionWeeks);
    expect(week).toMatchObject({ admitted: 3, cap: 3 });
  });
});

describe("after matching", () => {
  it("announces each match once, in the applicant's language", async () => {
    await approvedEois(database.db, 2, { windowId, lang: "ar" });
    await registerReturns(database.db, 2);
    await matchNext(2, officer);

    expect(await announceMatches()).toBe(2);
    expect(await announceMatches()).toBe(0);
    const queued = await database.db.select().from(notifications);
    expect(queued).toHaveLength(2);
    expect(queued.every((n) => n.template === "status.matched" && n.lang === "ar")).toBe(true);
  });

  it("unmatches with a reason: the applicant waits again and the return goes to the next run", async () => {
    const [first, second] = await approvedEois(database.db, 2, { windowId });
    const [only] = await registerReturns(database.db, 1);
    await matchNext(1, officer);
    const [match] = await database.db
      .select()
      .from(matches)
      .where(eq(matches.eoiId, first as string));

    await unmatch(match?.id as string, "travel_not_possible", officer, { note: "no flight" });

    expect(await statusOf([first as string])).toEqual({ [first as string]: "approved" });
    const history = await database.db
      .select({ to: statusHistory.toStatus })
      .from(statusHistory)
      .where(eq(statusHistory.eoiId, first as string))
      .orderBy(statusHistory.at);
    expect(history.map((h) => h.to)).toEqual(["matched", "approved"]);
    const [undone] = await database.db
      .select()
      .from(matches)
      .where(eq(matches.id, match?.id as string));
    expect(undone).toMatchObject({ unmatchReason: "travel_not_possible", unmatchedBy: officer.id });
    expect(undone?.unmatchedAt).toBeInstanceOf(Date);
    const [audited] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "matching.unmatched"), eq(auditLog.subjectId, first as string)));
    expect(audited).toMatchObject({ actorId: officer.id, subjectId: first });
    expect(audited?.details).toMatchObject({
      reason: "travel_not_possible",
      note: "no flight",
      return: only,
    });
    await expect(unmatch(match?.id as string, "other", officer)).rejects.toBeInstanceOf(MatchNotFoundError);

    // The first applicant keeps their place in the order, so the return goes back to them.
    await matchNext(1, officer);
    expect((await activeMatches()).map((m) => m.eoiId)).toEqual([first]);
    expect(second).toBeDefined();
  });

  it("records the travel date and the arrival", async () => {
    const [person] = await approvedEois(database.db, 1, { windowId });
    await registerReturns(database.db, 1);
    await matchNext(1, officer);
    const [match] = await database.db.select().from(matches);

    await recordTravel(match?.id as string, "2026-12-04", officer);
    await recordArrival(match?.id as string, officer);

    const [done] = await database.db.select().from(matches);
    expect(done?.travelDate).toBe("2026-12-04");
    expect(done?.arrivedAt).toBeInstanceOf(Date);
    expect(await statusOf([person as string])).toEqual({ [person as string]: "arrived" });
    await expect(recordArrival(match?.id as string, officer)).rejects.toBeInstanceOf(MatchNotFoundError);
  });
});

describe("the database refuses what would break the invariants", () => {
  const refused = (statement: Promise<unknown>) => expect(statement).rejects.toThrow();

  it("a return that is not completed, a return or an applicant matched twice, a deleted match", async () => {
    const [a, b] = await approvedEois(database.db, 2, { windowId });
    const [pending] = await registerReturns(database.db, 1, { stage: "france_accepted" });
    const [done] = await registerReturns(database.db, 1);
    const run = sql`gen_random_uuid()`;

    await refused(
      database.db.execute(
        sql`insert into matches (eoi_id, return_case_id, run_id) values (${a}, ${pending}, ${run})`,
      ),
    );
    await database.db.execute(
      sql`insert into matches (eoi_id, return_case_id, run_id) values (${a}, ${done}, ${run})`,
    );
    await refused(
      database.db.execute(
        sql`insert into matches (eoi_id, return_case_id, run_id) values (${b}, ${done}, ${run})`,
      ),
    );
    await refused(
      database.db.execute(
        sql`insert into matches (eoi_id, return_case_id, run_id) values (${a}, null, ${run})`,
      ),
    );
    // A matched return's stage cannot change, and matches are never deleted.
    await refused(
      database.db.execute(
        sql`update return_cases set stage = 'cancelled', transferred_at = null where id = ${done}`,
      ),
    );
    await refused(database.db.execute(sql`delete from matches`));
    expect(await activeMatches()).toHaveLength(1);
  });

  it("an admission with no return under strict, or beyond the tolerance, or over the weekly cap", async () => {
    const people = await approvedEois(database.db, 4, { windowId });
    const insertAhead = (id: string) =>
      database.db.execute(sql`insert into matches (eoi_id, run_id) values (${id}, gen_random_uuid())`);

    await refused(insertAhead(people[0] as string));
    await setPolicy(database.db, "tolerance", { tolerance: 1 });
    await insertAhead(people[0] as string);
    await refused(insertAhead(people[1] as string));
    // Going back to strict while an admission is ahead is refused too.
    await refused(database.db.update(schemeSettings).set({ parityPolicy: "strict" }));

    await setPolicy(database.db, "reporting-only", { weeklyCap: 2 });
    await insertAhead(people[1] as string);
    await refused(insertAhead(people[2] as string));
    // Lowering the cap under what this week already admitted is refused.
    await refused(database.db.update(schemeSettings).set({ weeklyCap: 1 }));
    expect(await activeMatches()).toHaveLength(2);
  });

  it("unmatching keeps the counters right", async () => {
    await setPolicy(database.db, "tolerance", { tolerance: 1, weeklyCap: 5 });
    await approvedEois(database.db, 1, { windowId });
    await matchNext(1, officer);
    const [match] = await database.db.select().from(matches);
    await unmatch(match?.id as string, "matched_in_error", officer);
    expect((await settings())?.admissionsAhead).toBe(0);
    const [week] = await database.db.select().from(admissionWeeks);
    expect(week?.admitted).toBe(0);
  });
});

describe("several officers at once", () => {
  it("4 concurrent 'match next 50' over 120 approved and 100 returns make exactly 100 matches", async () => {
    await approvedEois(database.db, 120, { windowId });
    const returns = await registerReturns(database.db, 100);

    const runs = await Promise.all([1, 2, 3, 4].map(() => matchNext(50, officer)));

    expect(runs.reduce((n, r) => n + r.matched, 0)).toBe(100);
    const active = await activeMatches();
    expect(active).toHaveLength(100);
    expect(new Set(active.map((m) => m.eoiId)).size).toBe(100);
    expect(new Set(active.map((m) => m.returnCaseId))).toEqual(new Set(returns));
    const matched = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(eois)
      .where(eq(eois.status, "matched"));
    expect(matched[0]?.n).toBe(0);
    await announceMatches();
    const announced = await database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(eois)
      .where(eq(eois.status, "matched"));
    expect(announced[0]?.n).toBe(100);
  });
});
