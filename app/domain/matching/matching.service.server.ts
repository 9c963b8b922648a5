import { randomUUID } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { admissionWeeks, eois, matches, returnCases, schemeSettings } from "../../../db/schema";
import { decryptJson } from "../../.server/crypto.server";
import { db, type Executor, rowsOf } from "../../.server/db.server";
import { formatDay } from "../../i18n/format";
import { type Actor, audit } from "../audit/audit.server";
import { type Contact, enqueue } from "../notifications/outbox.server";
import { changeStatus } from "../status/status.service.server";
import { announcePending } from "./announce.server";
import {
  type Capacity,
  familyMemberInProgress,
  type ParityPolicy,
  type PlacesLimit,
  placesAvailable,
  type UnmatchReason,
} from "./matching.rules";
import { release, staffIdOf } from "./release.server";

/*
 * The matching queue (issue 7, decision 015).
 *
 * Concurrency: every run first locks the one scheme_settings row (SELECT … FOR UPDATE), so runs
 * by several officers queue behind each other for the few milliseconds a run takes. SKIP LOCKED
 * would let two runs share out free returns, but not the counts a run must respect: the weekly
 * cap and the tolerance are sums over every match, which two concurrent runs would each read
 * before the other's commit. One lock also keeps the priority order exact: nobody's run skips a
 * family another run happens to be holding.
 *
 * The lock is for good answers, not for safety: the database refuses a second active match of a
 * return or an applicant (unique indexes), a return that is not transferred (composite foreign
 * key), admissions beyond returns + tolerance (scheme_settings check) and beyond the week's cap
 * (admission_weeks check), whatever writes to it (migration 0006).
 */

export class NothingToMatchError extends Error {}
export class MatchNotFoundError extends Error {}
export class UnmatchNotAllowedError extends Error {}
/** The case is not approved, or its family still has members on the way to approval. */
export class NotMatchableError extends Error {}
/** The case's family needs more places than parity or the weekly cap leave. */
export class NotEnoughPlacesError extends Error {
  constructor(
    readonly needed: number,
    readonly places: number,
    readonly limitedBy: PlacesLimit | null,
  ) {
    super(`needs ${needed} places, ${places} available`);
  }
}

export interface MatchRunResult {
  runId: string;
  requested: number;
  /** People matched. */
  matched: number;
  /** Families among them (groups of two or more). */
  families: number;
  /** Matched with no completed return yet (tolerance or reporting-only). */
  ahead: number;
  /** Places there were before the run (Infinity: no limit). */
  places: number;
  limitedBy: PlacesLimit | null;
}

type Tx = Executor;

async function lockSettings(tx: Tx) {
  const [settings] = await tx.select().from(schemeSettings).where(eq(schemeSettings.id, 1)).for("update");
  if (!settings) throw new Error("scheme_settings row missing");
  return settings;
}

/** Completed returns that nobody is matched to. */
const freeReturnsWhere = sql`r.stage = 'transferred' and not exists (
  select 1 from ${matches} m where m.return_case_id = r.id and m.unmatched_at is null)`;

async function capacityOf(
  tx: Tx,
  settings: typeof schemeSettings.$inferSelect,
  now: Date,
): Promise<Capacity> {
  const [row] = await rowsOf<{ free: number; admitted: number }>(
    tx,
    sql`select
      (select count(*)::int from ${returnCases} r where ${freeReturnsWhere}) as free,
      coalesce((select admitted from ${admissionWeeks} where week_start = admission_week(${now.toISOString()}::timestamptz)), 0)::int as admitted`,
  );
  return {
    policy: settings.parityPolicy as ParityPolicy,
    tolerance: settings.parityTolerance,
    ahead: settings.admissionsAhead,
    freeReturns: row?.free ?? 0,
    weeklyCap: settings.weeklyCap,
    admittedThisWeek: row?.admitted ?? 0,
  };
}

/**
 * Gives admissions that ran ahead of returns (tolerance, reporting-only) the oldest free completed
 * returns, oldest admission first: "the surplus matched first to the next returns" (Part A §1).
 * Call with the settings row locked. Returns how many were given a return.
 */
async function backAhead(tx: Tx, actor: Actor, now: Date): Promise<number> {
  const rows = await rowsOf<{ id: string }>(
    tx,
    sql`with ahead as (
        select m.id, row_number() over (order by m.matched_at, e.submitted_at, m.id) as n
        from ${matches} m join ${eois} e on e.id = m.eoi_id
        where m.unmatched_at is null and m.return_case_id is null
      ), free as (
        select r.id, row_number() over (order by r.transferred_at, r.id) as n
        from ${returnCases} r where ${freeReturnsWhere}
        order by r.transferred_at, r.id
        limit (select count(*) from ahead)
      )
      update ${matches} m set return_case_id = free.id, backed_at = ${now.toISOString()}::timestamptz
      from ahead join free using (n) where m.id = ahead.id
      returning m.id`,
  );
  if (rows.length) await audit(tx, actor, "matching.backed", undefined, { count: rows.length });
  return rows.length;
}

/** For the returns register: a return has just been transferred, so it backs an admission ahead. */
export async function backAheadAdmissions(tx: Tx, actor: Actor, now = new Date()): Promise<number> {
  const settings = await lockSettings(tx);
  return settings.admissionsAhead > 0 ? backAhead(tx, actor, now) : 0;
}

/**
 * Approved and not matched yet. A match reaches the EOI's status a moment after the run (see
 * announce.server.ts), so the queue also leaves out approved applicants with an active match.
 */
const waiting = sql`e.status = 'approved' and not exists (
  select 1 from ${matches} am where am.eoi_id = e.id and am.unmatched_at is null)`;

/**
 * One set-based statement: picks whole families and single applicants in priority order while
 * their running total of people stays within `budget` (a family that does not fit stops the run,
 * so nobody overtakes it), pairs them with the oldest free completed returns and writes the
 * matches. `unit` limits it to one case's family. The applicants' statuses, history, audit rows
 * and notifications follow in announceMatches (decision 015).
 */
async function matchUnits(
  tx: Tx,
  input: { budget: number; runId: string; actor: Actor; now: Date; unit?: string },
): Promise<{ inserted: number; families: number; ahead: number }> {
  const { budget, runId, now } = input;
  // postgres-js takes no Date in raw SQL: timestamps go as ISO strings, cast.
  const at = now.toISOString();
  const inProgress = sql.join(
    familyMemberInProgress.map((s) => sql`${s}`),
    sql`, `,
  );
  const [row] = await rowsOf<{ inserted: number; families: number; ahead: number }>(
    tx,
    sql`with units as (
        select coalesce(e.family_group_id, e.id) as unit_id, count(*)::int as size,
               min(e.match_priority) as priority, min(e.submitted_at) as submitted_at
        from ${eois} e where ${waiting}
        ${input.unit ? sql`and coalesce(e.family_group_id, e.id) = ${input.unit}` : sql``}
        group by 1
      ), ranked as (
        select u.unit_id, u.size,
               sum(u.size) over (order by u.priority, u.submitted_at, u.unit_id rows unbounded preceding) as cum
        from units u
        where not exists (select 1 from ${eois} m
                          where m.family_group_id = u.unit_id and m.status in (${inProgress}))
      ), chosen as (
        select unit_id, size, cum from ranked where cum <= ${budget}
      ), persons as (
        select e.id, row_number() over (order by c.cum, e.submitted_at, e.id) as n
        from chosen c join ${eois} e on coalesce(e.family_group_id, e.id) = c.unit_id
        where ${waiting}
      ), free as (
        select r.id, row_number() over (order by r.transferred_at, r.id) as n
        from ${returnCases} r where ${freeReturnsWhere}
        order by r.transferred_at, r.id
        limit ${budget}
      ), ins as (
        insert into ${matches} (eoi_id, return_case_id, run_id, matched_at, matched_by, backed_at)
        select p.id, f.id, ${runId}, ${at}::timestamptz, ${staffIdOf(input.actor)},
               case when f.id is null then null else ${at}::timestamptz end
        from persons p left join free f using (n)
        returning return_case_id
      )
      select (select count(*)::int from ins) as inserted,
             (select count(*)::int from chosen where size > 1) as families,
             (select count(*)::int from ins where return_case_id is null) as ahead`,
  );
  return row ?? { inserted: 0, families: 0, ahead: 0 };
}

async function run(
  actor: Actor,
  now: Date,
  requested: number,
  unitOf?: (tx: Tx) => Promise<{ unit: string; size: number; eoiId: string }>,
): Promise<MatchRunResult> {
  return db().transaction(async (tx) => {
    let settings = await lockSettings(tx);
    // One statement over the whole queue: the planner's estimates for its family join are far
    // too high, which switches on JIT compilation (half a second) and spills sorts to disk.
    await tx.execute(sql`set local jit = off`);
    await tx.execute(sql`set local work_mem = '64MB'`);
    if (settings.admissionsAhead > 0 && (await backAhead(tx, actor, now)) > 0)
      settings = await lockSettings(tx);
    const capacity = await capacityOf(tx, settings, now);
    const { places, limitedBy } = placesAvailable(capacity);
    const unit = unitOf ? await unitOf(tx) : undefined;
    if (unit && unit.size > places) throw new NotEnoughPlacesError(unit.size, places, limitedBy);
    const runId = randomUUID();
    const budget = Math.min(requested, places);
    const result =
      budget > 0
        ? await matchUnits(tx, { budget, runId, actor, now, unit: unit?.unit })
        : { inserted: 0, families: 0, ahead: 0 };
    if (unit && result.inserted === 0) throw new NotMatchableError(unit.unit);
    await audit(tx, actor, "matching.run", unit ? { type: "eoi", id: unit.eoiId } : undefined, {
      run: runId,
      requested,
      matched: result.inserted,
      families: result.families,
      ahead: result.ahead,
      policy: capacity.policy,
    });
    return {
      runId,
      requested,
      matched: result.inserted,
      families: result.families,
      ahead: result.ahead,
      places,
      limitedBy,
    };
  });
}

/** "Match the next N": the first N people of the queue, in priority order, whole families only. */
export function matchNext(requested: number, actor: Actor, now = new Date()): Promise<MatchRunResult> {
  if (!Number.isInteger(requested) || requested < 1)
    throw new RangeError("requested must be a positive integer");
  return run(actor, now, requested);
}

/** Matches one case out of queue order, with its whole family. */
export function matchCase(eoiId: string, actor: Actor, now = new Date()): Promise<MatchRunResult> {
  return run(actor, now, Number.MAX_SAFE_INTEGER, async (tx) => {
    const inProgress = sql.join(
      familyMemberInProgress.map((s) => sql`${s}`),
      sql`, `,
    );
    const [row] = await rowsOf<{ unit: string; size: number; ready: boolean; waiting: boolean }>(
      tx,
      sql`select coalesce(e.family_group_id, e.id) as unit, ${waiting} as waiting,
        (select count(*)::int from ${eois} f where coalesce(f.family_group_id, f.id) = coalesce(e.family_group_id, e.id)
           and f.status = 'approved') as size,
        not exists (select 1 from ${eois} m where e.family_group_id is not null
           and m.family_group_id = e.family_group_id and m.status in (${inProgress})) as ready
        from ${eois} e where e.id = ${eoiId}`,
    );
    if (!row?.waiting || !row.ready) throw new NotMatchableError(eoiId);
    return { unit: row.unit, size: row.size, eoiId };
  });
}

/**
 * Undoes a match before the applicant has arrived, with a reason (audited). The applicant goes back
 * to "approved", keeping their place in the priority order; the return is free for the next run,
 * and first for an admission that ran ahead of returns.
 */
export async function unmatch(
  matchId: string,
  reason: UnmatchReason,
  actor: Actor,
  options: { note?: string; now?: Date } = {},
): Promise<void> {
  const now = options.now ?? new Date();
  await db().transaction(async (tx) => {
    const [found] = await tx.select({ eoiId: matches.eoiId }).from(matches).where(eq(matches.id, matchId));
    if (!found) throw new MatchNotFoundError(matchId);
    // The applicant's row before the settings row: the order changeStatus takes them in.
    await tx.select({ id: eois.id }).from(eois).where(eq(eois.id, found.eoiId)).for("update");
    await lockSettings(tx);
    const [match] = await tx
      .select({
        id: matches.id,
        eoiId: matches.eoiId,
        returnCaseId: matches.returnCaseId,
        arrivedAt: matches.arrivedAt,
      })
      .from(matches)
      .where(and(eq(matches.id, matchId), isNull(matches.unmatchedAt)))
      .for("update");
    if (!match) throw new MatchNotFoundError(matchId);
    if (match.arrivedAt) throw new UnmatchNotAllowedError("arrived");
    // The history then reads approved → matched → approved, even if the run was a moment ago.
    await announcePending(tx, match.eoiId);
    await release(tx, match, reason, actor, now, options.note);
    await changeStatus(tx, match.eoiId, "approved", actor, { reasonCode: "unmatched" });
    await backAhead(tx, actor, now);
  });
}

/**
 * Records the travel date the Home Office directed (audited; shown to the applicant) and tells the
 * applicant the date in their language. A new date is a new message; the same date twice is not.
 */
export async function recordTravel(matchId: string, travelDate: string, actor: Actor): Promise<void> {
  await db().transaction(async (tx) => {
    const [match] = await tx
      .update(matches)
      .set({ travelDate })
      .where(and(eq(matches.id, matchId), isNull(matches.unmatchedAt), isNull(matches.arrivedAt)))
      .returning({ eoiId: matches.eoiId });
    if (!match) throw new MatchNotFoundError(matchId);
    await audit(
      tx,
      actor,
      "matching.travel_recorded",
      { type: "eoi", id: match.eoiId },
      { match: matchId, travelDate },
    );
    const [applicant] = await tx
      .select({ lang: eois.lang, reference: eois.reference, answersEnc: eois.answersEnc })
      .from(eois)
      .where(eq(eois.id, match.eoiId));
    if (!applicant) return;
    const { contact } = decryptJson<{ contact?: Contact }>(applicant.answersEnc);
    await enqueue(tx, {
      dedupeKey: `travel:${matchId}:${travelDate}`,
      contact: contact ?? {},
      template: "travel.directed",
      lang: applicant.lang,
      // A calendar day, not an instant: formatDay keeps it the same day in every time zone.
      params: { reference: applicant.reference ?? "", date: formatDay(travelDate, applicant.lang) },
      eoiId: match.eoiId,
    });
  });
}

/** Records that the applicant arrived in the UK: the end of the journey (status "arrived"). */
export async function recordArrival(matchId: string, actor: Actor, now = new Date()): Promise<void> {
  await db().transaction(async (tx) => {
    const [match] = await tx
      .update(matches)
      .set({ arrivedAt: now })
      .where(and(eq(matches.id, matchId), isNull(matches.unmatchedAt), isNull(matches.arrivedAt)))
      .returning({ eoiId: matches.eoiId });
    if (!match) throw new MatchNotFoundError(matchId);
    await changeStatus(tx, match.eoiId, "arrived", actor);
  });
}

/** What the queue page shows above the list: policy, places and why they are limited. */
export async function matchingCapacity(now = new Date()) {
  const executor = db();
  const [settings] = await executor.select().from(schemeSettings).where(eq(schemeSettings.id, 1));
  if (!settings) throw new Error("scheme_settings row missing");
  const capacity = await capacityOf(executor, settings, now);
  return { ...capacity, ...placesAvailable(capacity) };
}
