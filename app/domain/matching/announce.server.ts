import { type SQL, sql } from "drizzle-orm";
import { auditLog, eois, matches, statusHistory } from "../../../db/schema";
import { decryptJson } from "../../.server/crypto.server";
import { db, type Executor, rowsOf } from "../../.server/db.server";
import { type Contact, enqueueMany } from "../notifications/outbox.server";

const BATCH = 2000;

/*
 * A matching run writes only `matches` (one statement, so 100,000 people match in seconds); this
 * takes each new match to the applicant's record: status approved → matched, the history row (at
 * the match's time, by the officer who matched), the audit row and the "place confirmed" message.
 * The route calls it right after a run and a background job every minute; changeStatus calls
 * announcePending first whenever it finds an approved applicant, so no decision is ever taken on
 * a stale "approved" (decision 015). The dedupe key is the match: nothing is sent twice.
 *
 * Locks: the job skips a match whose applicant row someone holds (a caseworker's decision in
 * progress announces it itself), and never waits, so it cannot deadlock with anyone.
 */

interface Announced {
  eoi_id: string;
  match_id: string;
  lang: string;
  reference: string | null;
  answers_enc: string;
}

/**
 * Announces the due matches that `where` selects (over `m`, the matches table), set-based.
 * Returns how many were due and how many applicants were told (a match undone before its
 * announcement is only stamped).
 */
async function announce(
  tx: Executor,
  where: SQL,
  limit: number,
  wait: boolean,
): Promise<{ due: number; told: number }> {
  const [result] = await rowsOf<{ due: number; changed: Announced[] }>(
    tx,
    sql`with due as (
        select m.id, m.eoi_id, m.matched_at, m.matched_by, m.run_id, m.unmatched_at is null as active
        from ${matches} m join ${eois} e on e.id = m.eoi_id
        where m.announced_at is null and ${where}
        order by m.matched_at, m.id limit ${limit}
        for update of m, e ${wait ? sql`` : sql`skip locked`}
      ), stamped as (
        update ${matches} m set announced_at = clock_timestamp() from due where m.id = due.id returning m.id
      ), changed as (
        update ${eois} e set status = 'matched', updated_at = clock_timestamp()
        from due where e.id = due.eoi_id and due.active and e.status = 'approved'
        returning e.id as eoi_id, due.id as match_id, due.matched_at, due.matched_by, due.run_id,
                  e.lang, e.reference, e.answers_enc
      ), history as (
        insert into ${statusHistory} (eoi_id, from_status, to_status, actor_type, actor_id, at)
        select eoi_id, 'approved', 'matched', 'staff', matched_by::text, matched_at from changed
      ), audited as (
        insert into ${auditLog} (actor_type, actor_id, action, subject_type, subject_id, details)
        select 'staff', matched_by::text, 'status.matched', 'eoi', eoi_id::text,
               jsonb_build_object('from', 'approved', 'run', run_id::text, 'match', match_id::text)
        from changed
      )
      select (select count(*)::int from stamped) as due,
             coalesce((select json_agg(json_build_object('eoi_id', eoi_id, 'match_id', match_id, 'lang', lang,
               'reference', reference, 'answers_enc', answers_enc)) from changed), '[]') as changed`,
  );
  const changed = result?.changed ?? [];
  await enqueueMany(
    tx,
    changed.map((row) => ({
      dedupeKey: `match:${row.match_id}`,
      contact: decryptJson<{ contact?: Contact }>(row.answers_enc).contact ?? {},
      template: "status.matched",
      lang: row.lang,
      params: { reference: row.reference ?? "" },
      eoiId: row.eoi_id,
    })),
  );
  return { due: result?.due ?? 0, told: changed.length };
}

/** Announces every match not yet announced, in batches; returns how many applicants it told. */
export async function announceMatches(): Promise<number> {
  let total = 0;
  for (;;) {
    // PGlite: only `tx` inside the transaction (the outer db would deadlock its single connection).
    const { due, told } = await db().transaction((tx) => announce(tx, sql`true`, BATCH, false));
    total += told;
    if (due < BATCH) return total;
  }
}

/** The applicant's own match, if a run made one that is not announced yet (in the caller's transaction). */
export async function announcePending(tx: Executor, eoiId: string): Promise<boolean> {
  return (await announce(tx, sql`m.eoi_id = ${eoiId} and m.unmatched_at is null`, 1, true)).told > 0;
}
