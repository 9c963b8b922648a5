import { and, asc, desc, eq, isNotNull, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import {
  applicationWindows,
  caseClaims,
  type EoiStatus,
  eoiFlags,
  eois,
  familyGroups,
  staffUsers,
} from "../../../db/schema";
import { blindIndex } from "../../.server/crypto.server";
import { db, rowsOf } from "../../.server/db.server";
import {
  encodeCursor,
  QUEUE_PAGE_SIZE,
  type QueueCursor,
  type QueueFilters,
  type QueueFlag,
  type QueueStatus,
} from "./queue.rules";

/**
 * One line of the caseworkers' queue. Nothing from the encrypted answers (no names, dates of
 * birth or documents): the queue is not audited, the case view is.
 */
export interface QueueRow {
  id: string;
  reference: string;
  submittedAt: Date;
  status: QueueStatus;
  /** ISO 3166 code, or "stateless". */
  nationality: string | null;
  windowName: string;
  familyReference: string | null;
  /** Kinds of the unresolved flags, alphabetical. */
  flags: QueueFlag[];
  /** The member of staff whose claim has not expired yet, if any. */
  claimedBy: string | null;
}

export interface QueuePage {
  rows: QueueRow[];
  /** Where the next page starts, or null on the last page. */
  nextCursor: string | null;
  hasNext: boolean;
}

const unresolvedFlag = (kind: QueueFlag) =>
  sql`exists (select 1 from ${eoiFlags} where ${eoiFlags.eoiId} = ${eois.id} and ${eoiFlags.kind} = ${kind} and not ${eoiFlags.resolved})`;

function conditions(filters: QueueFilters, cursor: QueueCursor | null): SQL[] {
  // Written out on every query so that the partial index eois_queue_idx can be used.
  const where: (SQL | undefined)[] = [ne(eois.status, "draft")];
  if (filters.status) where.push(eq(eois.status, filters.status));
  if (filters.windowId) where.push(eq(eois.windowId, filters.windowId));
  if (filters.nationality) where.push(eq(eois.nationality, filters.nationality));
  if (filters.family === "yes") where.push(isNotNull(eois.familyGroupId));
  if (filters.family === "no") where.push(isNull(eois.familyGroupId));
  if (filters.flag === "location_unverified") {
    where.push(or(eq(eois.status, "location_unverified"), unresolvedFlag("location_unverified")));
  } else if (filters.flag) {
    where.push(unresolvedFlag(filters.flag));
  }
  if (filters.search) {
    const byName = eq(eois.nameHash, blindIndex("name", filters.search.name));
    const { reference } = filters.search;
    where.push(reference ? or(eq(eois.reference, reference), byName) : byName);
  }
  if (cursor) {
    // A row comparison, so the index on (…, submitted_at, id) starts right at the cursor.
    const position = sql`(${cursor.submittedAt}::timestamptz, ${cursor.id}::uuid)`;
    where.push(
      filters.sort === "newest"
        ? sql`(${eois.submittedAt}, ${eois.id}) < ${position}`
        : sql`(${eois.submittedAt}, ${eois.id}) > ${position}`,
    );
  }
  return where.filter((c): c is SQL => c !== undefined);
}

/** The query of one page, plus one row to know whether there is a next page (exported for the benchmark's EXPLAIN). */
export function queueQuery(filters: QueueFilters, cursor: QueueCursor | null, pageSize: number) {
  const order = filters.sort === "newest" ? desc : asc;
  return db()
    .select({
      id: eois.id,
      reference: eois.reference,
      submittedAt: eois.submittedAt,
      // Microseconds kept for the cursor: a Date would round them away and skip or repeat rows.
      position: sql<string>`to_char(${eois.submittedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      status: eois.status,
      nationality: eois.nationality,
      windowName: applicationWindows.name,
      familyReference: familyGroups.familyReference,
      flags: sql<
        string | null
      >`(select string_agg(distinct ${eoiFlags.kind}, ',' order by ${eoiFlags.kind}) from ${eoiFlags} where ${eoiFlags.eoiId} = ${eois.id} and not ${eoiFlags.resolved})`,
      claimedBy: sql<
        string | null
      >`(select ${staffUsers.name} from ${caseClaims} join ${staffUsers} on ${staffUsers.id} = ${caseClaims.staffId} where ${caseClaims.eoiId} = ${eois.id} and ${caseClaims.expiresAt} > now())`,
    })
    .from(eois)
    .innerJoin(applicationWindows, eq(applicationWindows.id, eois.windowId))
    .leftJoin(familyGroups, eq(familyGroups.id, eois.familyGroupId))
    .where(and(...conditions(filters, cursor)))
    .orderBy(order(eois.submittedAt), order(eois.id))
    .limit(pageSize + 1);
}

/**
 * A page of the queue: submitted EOIs matching the filters, oldest (or newest) first, after the
 * cursor. Keyset pagination on (submitted_at, id), never OFFSET, so page 200 costs what page 1
 * does and a case submitted meanwhile neither repeats nor hides a row.
 */
export async function listQueue(
  filters: QueueFilters,
  cursor: QueueCursor | null = null,
  pageSize = QUEUE_PAGE_SIZE,
): Promise<QueuePage> {
  const found = await queueQuery(filters, cursor, pageSize);
  const hasNext = found.length > pageSize;
  const page = found.slice(0, pageSize);
  const last = page.at(-1);
  return {
    rows: page.map((row) => ({
      id: row.id,
      reference: row.reference as string,
      submittedAt: row.submittedAt as Date,
      status: row.status as Exclude<EoiStatus, "draft">,
      nationality: row.nationality,
      windowName: row.windowName,
      familyReference: row.familyReference,
      flags: (row.flags ? row.flags.split(",") : []) as QueueFlag[],
      claimedBy: row.claimedBy,
    })),
    nextCursor: hasNext && last ? encodeCursor({ submittedAt: last.position, id: last.id }) : null,
    hasNext,
  };
}

export interface QueueFilterOptions {
  /** Every window, the latest first: a closed window's cases are still worked on. */
  windows: { id: string; name: string }[];
  /** The nationalities of submitted EOIs (codes), for the nationality filter. */
  nationalities: string[];
}

export async function queueFilterOptions(): Promise<QueueFilterOptions> {
  const windows = await db()
    .select({ id: applicationWindows.id, name: applicationWindows.name })
    .from(applicationWindows)
    .orderBy(desc(applicationWindows.opensAt), asc(applicationWindows.name));
  // A loose index scan: one probe of eois_nationality_queue_idx per distinct value, rather than
  // reading every EOI to find the few dozen nationalities present.
  const rows = await rowsOf<{ nationality: string }>(
    db(),
    sql`
    with recursive present (nationality) as (
      (select nationality from ${eois} where nationality is not null and status <> 'draft'
        order by nationality limit 1)
      union all
      select (select e.nationality from ${eois} e
               where e.nationality > present.nationality and e.status <> 'draft'
               order by e.nationality limit 1)
        from present where present.nationality is not null
    )
    select nationality from present where nationality is not null`,
  );
  return { windows, nationalities: rows.map((r) => r.nationality) };
}

/**
 * What the queue page reads: the filters' choices, and the page itself unless the query string
 * was refused (the form is then shown again with its errors, and no cases).
 */
export async function queueView(
  query: { filters: QueueFilters; cursor: QueueCursor | null } | null,
): Promise<{ options: QueueFilterOptions; page: QueuePage | null }> {
  const [options, page] = await Promise.all([
    queueFilterOptions(),
    query ? listQueue(query.filters, query.cursor) : null,
  ]);
  return { options, page };
}
