import { and, asc, desc, eq, isNull, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { auditLog, eois, familyGroups, matches, returnCases, staffUsers } from "../../../db/schema";
import { db, type Executor, rowsOf } from "../../.server/db.server";
import { isUuid } from "../cases/cases.rules";
import { familyMemberInProgress, MAX_MATCH_BATCH, type UnmatchReason } from "./matching.rules";
import type { MatchRunResult } from "./matching.service.server";

/*
 * What the matching screens read (issue 7): the queue of approved applicants as matching units,
 * the latest matches, one match, and why a run matched fewer people than asked. References only:
 * no names or answers reach these pages, so reading them is not audited.
 */

const PAGE_SIZE = 50;
const LATEST_MATCHES = 20;

/** One matching unit: a family (its approved members together) or an applicant on their own. */
export interface QueueUnit {
  /** The family group's id, or the applicant's own id (the service's unit). */
  unitId: string;
  /** The approved members, earliest submission first; the first one's id is what "Match" posts. */
  members: { id: string; reference: string }[];
  familyReference: string | null;
  /** People to match: the approved members. */
  size: number;
  /** Priority band (priority.ts): the family's best member's. */
  band: number;
  /** The family's earliest submission. */
  submittedAt: Date;
  /** Members still on the way to approval: while there are some, the family is not matchable. */
  waitingForFamily: number;
}

export interface QueuePage {
  units: QueueUnit[];
  /** Where the next page starts, or null on the last page. */
  nextCursor: string | null;
  /** Approved people waiting, in all. */
  waitingPeople: number;
}

/** A position in the queue: the last unit shown, in the service's order. */
interface UnitCursor {
  band: number;
  /** UTC to the microsecond, as stored (a Date would lose the microseconds and repeat a row). */
  submittedAt: string;
  unitId: string;
}

const CURSOR = /^([0-3])~(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)~([0-9a-f-]{36})$/;

const encodeCursor = (c: UnitCursor) =>
  Buffer.from(`${c.band}~${c.submittedAt}~${c.unitId}`).toString("base64url");

/** The cursor, or null for one this service did not write (the first page is shown instead). */
function decodeCursor(token: string | null): UnitCursor | null {
  if (!token || token.length > 200) return null;
  const match = CURSOR.exec(Buffer.from(token, "base64url").toString());
  if (!match || Number.isNaN(Date.parse(match[2] as string))) return null;
  return { band: Number(match[1]), submittedAt: match[2] as string, unitId: match[3] as string };
}

interface UnitRow {
  unit_id: string;
  band: number;
  size: number;
  position: string;
  family_reference: string | null;
  members: string | null;
  waiting: number;
}

/**
 * Waiting for a place: approved, and not matched by a run whose announcement has not reached the
 * applicant's status yet (announce.server.ts), as in the service's queue. Announcing a match makes
 * its applicant "matched", so only unannounced matches are looked for: a handful
 * (matches_unannounced_idx), where all active matches would be hashed for every page.
 */
const waiting = (alias: "e" | "m") => {
  const e = sql.raw(alias);
  return sql`${e}.status = 'approved' and not exists (select 1 from ${matches} am
    where am.eoi_id = ${e}.id and am.unmatched_at is null and am.announced_at is null)`;
};

const inProgress = () =>
  sql.join(
    familyMemberInProgress.map((s) => sql`${s}`),
    sql`, `,
  );

/**
 * Matching units in the service's order (band, earliest submission, unit id; matchUnits in
 * matching.service.server.ts), after `after`. Grouping every approved applicant to sort the units
 * would read all 100,000 of them for each page, so the two kinds are read apart: applicants on
 * their own straight off eois_matching_queue_idx, stopping at the page's end, and families (few)
 * grouped, then both merged. `matchableOnly` leaves out families waiting for a member.
 */
async function queueUnits(
  executor: Executor,
  options: { after: UnitCursor | null; limit: number; matchableOnly?: boolean },
): Promise<UnitRow[]> {
  const { after, limit } = options;
  const position = after
    ? sql`(${after.band}::int, ${after.submittedAt}::timestamptz, ${after.unitId}::uuid)`
    : null;
  return rowsOf<UnitRow>(
    executor,
    sql`with singles as (
        select e.id as unit_id, e.match_priority as band, e.submitted_at, 1 as size
        from ${eois} e
        where ${waiting("e")} and e.family_group_id is null
          ${position ? sql`and (e.match_priority, e.submitted_at, e.id) > ${position}` : sql``}
        order by e.match_priority, e.submitted_at, e.id
        limit ${limit}
      ), families as (
        select e.family_group_id as unit_id, min(e.match_priority) as band,
               min(e.submitted_at) as submitted_at, count(*)::int as size
        from ${eois} e
        where ${waiting("e")} and e.family_group_id is not null
        group by e.family_group_id
        having true
          ${position ? sql`and (min(e.match_priority), min(e.submitted_at), e.family_group_id) > ${position}` : sql``}
          ${
            options.matchableOnly
              ? sql`and not exists (select 1 from ${eois} w
                   where w.family_group_id = e.family_group_id and w.status in (${inProgress()}))`
              : sql``
          }
        order by 2, 3, 1
        limit ${limit}
      ), page as (
        select * from singles union all select * from families
        order by band, submitted_at, unit_id
        limit ${limit}
      )
      select p.unit_id, p.band, p.size,
        to_char(p.submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as position,
        g.family_reference,
        (select string_agg(m.id::text || ' ' || m.reference, ',' order by m.submitted_at, m.id)
           from ${eois} m
           where (m.id = p.unit_id or m.family_group_id = p.unit_id) and ${waiting("m")}) as members,
        (select count(*)::int from ${eois} w
           where w.family_group_id = p.unit_id and w.status in (${inProgress()})) as waiting
      from page p left join ${familyGroups} g on g.id = p.unit_id
      order by p.band, p.submitted_at, p.unit_id`,
  );
}

/** A page of the queue: the first units after the cursor (an opaque `after` from the last page). */
export async function matchingQueue(after: string | null): Promise<QueuePage> {
  const [rows, [total]] = await Promise.all([
    queueUnits(db(), { after: decodeCursor(after), limit: PAGE_SIZE + 1 }),
    // Approved (an index-only count), less those a run has just matched.
    rowsOf<{ people: number }>(
      db(),
      sql`select (select count(*) from ${eois} where status = 'approved')::int
        - (select count(*) from ${matches} m join ${eois} e on e.id = m.eoi_id
           where m.announced_at is null and m.unmatched_at is null and e.status = 'approved')::int as people`,
    ),
  ]);
  const page = rows.slice(0, PAGE_SIZE);
  const last = page.at(-1);
  return {
    units: page.map((r) => ({
      unitId: r.unit_id,
      members: (r.members ?? "").split(",").flatMap((m) => {
        const [id, reference] = m.split(" ");
        return id && reference ? [{ id, reference }] : [];
      }),
      familyReference: r.family_reference,
      size: r.size,
      band: r.band,
      submittedAt: new Date(r.position),
      waitingForFamily: r.waiting,
    })),
    nextCursor:
      rows.length > PAGE_SIZE && last
        ? encodeCursor({ band: last.band, submittedAt: last.position, unitId: last.unit_id })
        : null,
    waitingPeople: total?.people ?? 0,
  };
}

/** Why a run matched fewer people than asked, for the officer. */
export type Shortfall =
  | { reason: "nobody" }
  | { reason: "returns" | "weekly_cap" }
  /** The next unit is a family bigger than what was left of the run: it is never split. */
  | { reason: "family"; needed: number; left: number };

/**
 * Reads the queue after the run: nobody left to match, the places ran out (and which limit), or
 * the next family did not fit in what was left. Null when the run matched everyone asked for, or
 * when another officer's run changed the queue meanwhile and there is no single reason.
 */
export async function explainRun(result: MatchRunResult): Promise<Shortfall | null> {
  if (result.matched >= result.requested) return null;
  const [next] = await queueUnits(db(), { after: null, limit: 1, matchableOnly: true });
  if (!next) return { reason: "nobody" };
  const left = Math.min(result.requested, result.places) - result.matched;
  if (left > 0 && next.size > left) return { reason: "family", needed: next.size, left };
  return left <= 0 && result.limitedBy ? { reason: result.limitedBy } : null;
}

/** The query string that carries a run's result to the queue page (matching.schema.ts reads it). */
export function runSummaryQuery(
  result: MatchRunResult,
  options: { kind: "run" | "unit"; shortfall?: Shortfall | null; reference?: string | null },
): string {
  const params = new URLSearchParams({ done: options.kind });
  if (options.kind === "run") params.set("requested", String(result.requested));
  params.set("matched", String(result.matched));
  params.set("families", String(result.families));
  params.set("ahead", String(result.ahead));
  if (result.matched > 0) params.set("run", result.runId);
  if (options.reference) params.set("ref", options.reference);
  const short = options.shortfall;
  if (short) {
    params.set("short", short.reason);
    if (short.reason === "family") {
      params.set("needed", String(short.needed));
      params.set("left", String(short.left));
    }
  }
  return params.toString();
}

/** What names a unit on the page: the family reference, or the applicant's own reference. */
export async function unitReference(eoiId: string): Promise<string | null> {
  const [row] = await db()
    .select({ reference: eois.reference, familyReference: familyGroups.familyReference })
    .from(eois)
    .leftJoin(familyGroups, eq(familyGroups.id, eois.familyGroupId))
    .where(eq(eois.id, eoiId));
  return row ? (row.familyReference ?? row.reference) : null;
}

export interface MatchListRow {
  id: string;
  reference: string;
  /** The completed return, or null while the admission runs ahead of returns. */
  personRef: string | null;
  matchedAt: Date;
  travelDate: string | null;
  arrivedAt: Date | null;
}

/**
 * The latest active matches, newest first. The ten-odd rows are picked from `matches` alone
 * before anything is joined: joined first, the planner reads every EOI to sort them.
 */
export async function latestMatches(): Promise<MatchListRow[]> {
  const latest = db()
    .select({
      id: matches.id,
      eoiId: matches.eoiId,
      returnCaseId: matches.returnCaseId,
      matchedAt: matches.matchedAt,
      travelDate: matches.travelDate,
      arrivedAt: matches.arrivedAt,
    })
    .from(matches)
    .where(isNull(matches.unmatchedAt))
    .orderBy(desc(matches.matchedAt), desc(matches.id))
    .limit(LATEST_MATCHES)
    .as("latest");
  const rows = await db()
    .select({
      id: latest.id,
      reference: eois.reference,
      personRef: returnCases.personRef,
      matchedAt: latest.matchedAt,
      travelDate: latest.travelDate,
      arrivedAt: latest.arrivedAt,
    })
    .from(latest)
    .innerJoin(eois, eq(eois.id, latest.eoiId))
    .leftJoin(returnCases, eq(returnCases.id, latest.returnCaseId))
    .orderBy(desc(latest.matchedAt), desc(latest.id));
  return rows.map((r) => ({ ...r, reference: r.reference ?? "" }));
}

/** The matches a run made (still active), in queue order: the officer sees whom they just matched. */
export async function runMatches(runId: string): Promise<{ id: string; reference: string }[]> {
  const rows = await db()
    .select({ id: matches.id, reference: eois.reference })
    .from(matches)
    .innerJoin(eois, eq(eois.id, matches.eoiId))
    .where(and(eq(matches.runId, runId), isNull(matches.unmatchedAt)))
    .orderBy(asc(eois.submittedAt), asc(matches.id))
    .limit(MAX_MATCH_BATCH);
  return rows.map((r) => ({ id: r.id, reference: r.reference ?? "" }));
}

export interface MatchView {
  id: string;
  eoiId: string;
  reference: string;
  status: string;
  familyReference: string | null;
  /** Other members of the family with a match of their own (active), with its id. */
  family: { reference: string; matchId: string }[];
  returnCaseId: string | null;
  personRef: string | null;
  matchedAt: Date;
  matchedBy: string | null;
  /** When a return was attached to an admission that ran ahead of returns (null if it did not). */
  backedAt: Date | null;
  ranAhead: boolean;
  travelDate: string | null;
  arrivedAt: Date | null;
  unmatched: { at: Date; by: string | null; reason: UnmatchReason; note: string | null } | null;
  /** After an unmatch: the applicant's newer active match, if they were matched again. */
  laterMatchId: string | null;
}

/** One match with who did what and when; null for an unknown or malformed id. */
export async function loadMatch(id: string): Promise<MatchView | null> {
  if (!isUuid(id)) return null;
  const matcher = alias(staffUsers, "matcher");
  const unmatcher = alias(staffUsers, "unmatcher");
  const [row] = await db()
    .select({
      id: matches.id,
      eoiId: matches.eoiId,
      reference: eois.reference,
      status: eois.status,
      familyGroupId: eois.familyGroupId,
      familyReference: familyGroups.familyReference,
      returnCaseId: matches.returnCaseId,
      personRef: returnCases.personRef,
      matchedAt: matches.matchedAt,
      matchedBy: matcher.name,
      backedAt: matches.backedAt,
      travelDate: matches.travelDate,
      arrivedAt: matches.arrivedAt,
      unmatchedAt: matches.unmatchedAt,
      unmatchedBy: unmatcher.name,
      unmatchReason: matches.unmatchReason,
    })
    .from(matches)
    .innerJoin(eois, eq(eois.id, matches.eoiId))
    .leftJoin(familyGroups, eq(familyGroups.id, eois.familyGroupId))
    .leftJoin(returnCases, eq(returnCases.id, matches.returnCaseId))
    .leftJoin(matcher, eq(matcher.id, matches.matchedBy))
    .leftJoin(unmatcher, eq(unmatcher.id, matches.unmatchedBy))
    .where(eq(matches.id, id));
  if (!row) return null;

  const family = row.familyGroupId
    ? await db()
        .select({ reference: eois.reference, matchId: matches.id })
        .from(eois)
        .innerJoin(matches, and(eq(matches.eoiId, eois.id), isNull(matches.unmatchedAt)))
        .where(and(eq(eois.familyGroupId, row.familyGroupId), ne(eois.id, row.eoiId)))
        .orderBy(eois.submittedAt, eois.id)
    : [];

  let unmatched: MatchView["unmatched"] = null;
  let laterMatchId: string | null = null;
  if (row.unmatchedAt) {
    // The note of "other" is kept only in the audit row of the unmatch (release.server.ts).
    const [undone] = await db()
      .select({ details: auditLog.details })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.subjectType, "eoi"),
          eq(auditLog.subjectId, row.eoiId),
          eq(auditLog.action, "matching.unmatched"),
          sql`${auditLog.details}->>'match' = ${row.id}`,
        ),
      )
      .orderBy(desc(auditLog.id))
      .limit(1);
    const note = undone?.details.note;
    unmatched = {
      at: row.unmatchedAt,
      by: row.unmatchedBy,
      reason: row.unmatchReason as UnmatchReason,
      note: typeof note === "string" ? note : null,
    };
    const [later] = await db()
      .select({ id: matches.id })
      .from(matches)
      .where(and(eq(matches.eoiId, row.eoiId), isNull(matches.unmatchedAt)));
    laterMatchId = later?.id ?? null;
  }

  return {
    id: row.id,
    eoiId: row.eoiId,
    reference: row.reference ?? "",
    status: row.status,
    familyReference: row.familyReference,
    family: family.map((f) => ({ reference: f.reference ?? "", matchId: f.matchId })),
    returnCaseId: row.returnCaseId,
    personRef: row.personRef,
    matchedAt: row.matchedAt,
    matchedBy: row.matchedBy,
    backedAt: row.backedAt && row.backedAt.getTime() !== row.matchedAt.getTime() ? row.backedAt : null,
    ranAhead: row.returnCaseId === null || (row.backedAt?.getTime() ?? 0) > row.matchedAt.getTime(),
    travelDate: row.travelDate,
    arrivedAt: row.arrivedAt,
    unmatched,
    laterMatchId,
  };
}
