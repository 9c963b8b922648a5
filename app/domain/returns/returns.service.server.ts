import { and, count, desc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { eois, matches, returnCases } from "../../../db/schema";
import { blindIndex, decryptJson, encryptJson } from "../../.server/crypto.server";
import { db, type Executor } from "../../.server/db.server";
import { type Actor, audit } from "../audit/audit.server";
import { documentKey, identityKey } from "../identity/identity.rules";
import { backAheadAdmissions } from "../matching/matching.service.server";
import { PARIS, parisDay, parisMidnight } from "../windows/windows.rules";
import {
  type AgeCategory,
  attentionBounds,
  canChange,
  END_LIMIT_MONTHS,
  openStages,
  type RecordFacts,
  type ReturnStage,
  type StageDates,
  stageDateField,
  stageDateFields,
} from "./returns.rules";

/*
 * The returns register (issue 7): the list, one return with the returned person's identity (each
 * view audited), and stage changes. Imports are in import.server.ts.
 */

export interface Identity {
  fullName: string;
  dateOfBirth: string;
  nationality: string;
  documentNumber: string | null;
}

/** Keyed hashes as EOIs have them (eoi.service.server.ts), so each side finds the other. */
export function identityHashes(p: Identity): { identityHash: string; documentHash: string | null } {
  return {
    identityHash: blindIndex("identity", identityKey(p.fullName, p.dateOfBirth, p.nationality)),
    documentHash: p.documentNumber
      ? blindIndex("document", documentKey(p.nationality, p.documentNumber))
      : null,
  };
}

export const sealIdentity = (p: Identity): string =>
  encryptJson({
    fullName: p.fullName,
    dateOfBirth: p.dateOfBirth,
    nationality: p.nationality,
    documentNumber: p.documentNumber,
  });

/** The Paris days of a record's stage dates (`day` may be memoised by the caller). */
const datesOf = (
  row: Record<(typeof stageDateFields)[number], Date | null>,
  day: (at: Date) => string = parisDay,
): StageDates =>
  Object.fromEntries(stageDateFields.map((f) => [f, row[f] ? day(row[f]) : null])) as StageDates;

/**
 * An active match holds the return: its stage cannot change (the database refuses it too).
 * The table is named, not the column: in a select list drizzle would write the column unqualified.
 */
const activeMatch = sql<boolean>`exists (select 1 from ${matches} m where m.return_case_id = ${returnCases}.id and m.unmatched_at is null)`;

/**
 * The register's records of these person references, as `classifyLine` compares them. With
 * `lock`, the records that may still change are locked for the caller's transaction. Transferred
 * ones are final, so they are read without a lock: a matching run, which reads them under the
 * settings lock, never waits behind an import that will itself wait for that lock.
 */
export async function recordsByRef(
  executor: Executor,
  refs: string[],
  lock: boolean,
): Promise<Map<string, RecordFacts & { id: string }>> {
  if (refs.length === 0) return new Map();
  if (lock) {
    await executor
      .select({ id: returnCases.id })
      .from(returnCases)
      .where(and(inArray(returnCases.personRef, refs), sql`${returnCases.stage} <> 'transferred'`))
      .for("update");
  }
  const rows = await executor
    .select({
      id: returnCases.id,
      personRef: returnCases.personRef,
      stage: returnCases.stage,
      identityHash: returnCases.identityHash,
      documentHash: returnCases.documentHash,
      nationality: returnCases.nationality,
      ageCategory: returnCases.ageCategory,
      smallBoatArrivalAt: returnCases.smallBoatArrivalAt,
      readmissionRequestedAt: returnCases.readmissionRequestedAt,
      franceRespondedAt: returnCases.franceRespondedAt,
      removalDirectionsAt: returnCases.removalDirectionsAt,
      transferredAt: returnCases.transferredAt,
      note: returnCases.stageNote,
      matched: activeMatch,
    })
    .from(returnCases)
    .where(inArray(returnCases.personRef, refs));
  // Imported records share a few instants (Paris midnights), and time-zone arithmetic is slow.
  const days = new Map<number, string>();
  const day = (at: Date) => {
    const known = days.get(at.getTime()) ?? parisDay(at);
    days.set(at.getTime(), known);
    return known;
  };
  return new Map(
    rows.map((r) => [
      r.personRef,
      {
        id: r.id,
        identityHash: r.identityHash,
        documentHash: r.documentHash,
        nationality: r.nationality,
        ageCategory: r.ageCategory,
        arrivalDay: day(r.smallBoatArrivalAt),
        stage: r.stage,
        dates: datesOf(r, day),
        note: r.note,
        matched: Boolean(r.matched),
      },
    ]),
  );
}

/**
 * "Keeping returned people off the route": submitted EOIs with the same identity or document as
 * these returns get a previously-returned flag pointing at the return (new EOIs are checked the
 * other way round at submission). One statement for any number of returns.
 */
export async function flagReturnedApplicants(tx: Executor, returnIds: string[]): Promise<void> {
  if (returnIds.length === 0) return;
  const ids = sql.join(
    returnIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  await tx.execute(sql`
    insert into eoi_flags (eoi_id, kind, evidence_type, evidence_id, details)
    select e.id, 'previously_returned', 'return_case', r.id,
           jsonb_build_object('match', case when e.identity_hash = r.identity_hash then 'identity' else 'document' end)
    from return_cases r
    join eois e on e.status <> 'draft' and (e.identity_hash = r.identity_hash or e.document_hash = r.document_hash)
    where r.id in (${ids})
    on conflict do nothing`);
}

const REGISTER_PAGE_SIZE = 50;

export interface RegisterFilters {
  stage?: ReturnStage;
  /** Only returns with a warning (`needsAttention`). */
  attention?: boolean;
  /** A person reference, exactly. */
  ref?: string;
}

/** `needsAttention` in SQL, on the Paris day of arrival. */
function attentionWhere(today: string): SQL {
  const { arrivedBy, endBy } = attentionBounds(today);
  const arrivalDay = sql`(${returnCases.smallBoatArrivalAt} at time zone ${PARIS})::date`;
  return sql`((${returnCases.stage} = 'arrived' and ${arrivalDay} <= ${arrivedBy}::date)
    or (${inArray(returnCases.stage, [...openStages])}
        and (${arrivalDay} + ${sql.raw(`interval '${END_LIMIT_MONTHS} months'`)})::date <= ${endBy}::date))`;
}

/**
 * One page of the register, newest arrival first, with the number of returns per stage and of
 * those needing attention. No names: the list is not audited, the return page is.
 */
export async function listReturns(filters: RegisterFilters, page: number, today: string) {
  const where = and(
    filters.stage ? eq(returnCases.stage, filters.stage) : undefined,
    filters.attention ? attentionWhere(today) : undefined,
    filters.ref ? eq(returnCases.personRef, filters.ref) : undefined,
  );
  const executor = db();
  const rows = await executor
    .select({
      id: returnCases.id,
      personRef: returnCases.personRef,
      nationality: returnCases.nationality,
      ageCategory: returnCases.ageCategory,
      stage: returnCases.stage,
      smallBoatArrivalAt: returnCases.smallBoatArrivalAt,
    })
    .from(returnCases)
    .where(where)
    .orderBy(desc(returnCases.smallBoatArrivalAt), desc(returnCases.id))
    .limit(REGISTER_PAGE_SIZE + 1)
    .offset((page - 1) * REGISTER_PAGE_SIZE);
  const [matching] = await executor.select({ n: count() }).from(returnCases).where(where);
  const perStage = await executor
    .select({ stage: returnCases.stage, n: count() })
    .from(returnCases)
    .groupBy(returnCases.stage);
  const [attention] = await executor.select({ n: count() }).from(returnCases).where(attentionWhere(today));
  return {
    rows: rows.slice(0, REGISTER_PAGE_SIZE).map(({ smallBoatArrivalAt, ...r }) => ({
      ...r,
      arrivalDay: parisDay(smallBoatArrivalAt),
    })),
    hasNext: rows.length > REGISTER_PAGE_SIZE,
    total: matching?.n ?? 0,
    perStage: Object.fromEntries(perStage.map((s) => [s.stage, s.n])) as Partial<Record<ReturnStage, number>>,
    attention: attention?.n ?? 0,
  };
}

async function matchedReference(executor: Executor, id: string): Promise<string | null> {
  const [row] = await executor
    .select({ reference: eois.reference })
    .from(matches)
    .innerJoin(eois, eq(eois.id, matches.eoiId))
    .where(and(eq(matches.returnCaseId, id), isNull(matches.unmatchedAt)));
  return row ? (row.reference ?? "") : null;
}

export interface ReturnDetail {
  id: string;
  personRef: string;
  identity: Partial<Identity>;
  ageCategory: AgeCategory;
  stage: ReturnStage;
  arrivalDay: string;
  dates: StageDates;
  note: string | null;
  /** The applicant reference of the active match, if any. */
  matchedTo: string | null;
}

/** One return with the person's identity: reading it is audited ("returns.viewed"). */
export async function viewReturn(id: string, actor: Actor): Promise<ReturnDetail | null> {
  return db().transaction(async (tx) => {
    const [row] = await tx.select().from(returnCases).where(eq(returnCases.id, id));
    if (!row) return null;
    const matchedTo = await matchedReference(tx, id);
    await audit(tx, actor, "returns.viewed", { type: "return_case", id });
    return {
      id,
      personRef: row.personRef,
      identity: decryptJson<Partial<Identity>>(row.identityEnc),
      ageCategory: row.ageCategory,
      stage: row.stage,
      arrivalDay: parisDay(row.smallBoatArrivalAt),
      dates: datesOf(row),
      note: row.stageNote,
      matchedTo,
    };
  });
}

/** What the stage form is checked against (no personal data, so not audited). */
export async function returnStageOf(
  id: string,
): Promise<{ stage: ReturnStage; matched: boolean; arrivalDay: string } | null> {
  const [row] = await db()
    .select({ stage: returnCases.stage, matched: activeMatch, arrivalAt: returnCases.smallBoatArrivalAt })
    .from(returnCases)
    .where(eq(returnCases.id, id));
  return row
    ? { stage: row.stage, matched: Boolean(row.matched), arrivalDay: parisDay(row.arrivalAt) }
    : null;
}

export type StageChangeResult = { ok: true } | { ok: false; reason: "not_found" | "matched" | "notAllowed" };

/**
 * Moves a return to its next stage on the day given, with the note (audited). Checked again with
 * the row locked, so two officers cannot both move it. A transfer completes the return: it backs
 * an admission that ran ahead of returns, in the same transaction.
 */
export async function changeStage(
  id: string,
  change: { stage: ReturnStage; stageDate: string; note?: string },
  actor: Actor,
  now = new Date(),
): Promise<StageChangeResult> {
  return db().transaction(async (tx) => {
    const [row] = await tx
      .select({ stage: returnCases.stage, matched: activeMatch })
      .from(returnCases)
      .where(eq(returnCases.id, id))
      .for("update");
    if (!row) return { ok: false, reason: "not_found" };
    if (row.matched) return { ok: false, reason: "matched" };
    if (!canChange(row.stage, change.stage)) return { ok: false, reason: "notAllowed" };
    const field = stageDateField[change.stage];
    await tx
      .update(returnCases)
      .set({
        stage: change.stage,
        ...(field ? { [field]: parisMidnight(change.stageDate) } : {}),
        stageNote: change.note ?? null,
        updatedAt: now,
      })
      .where(eq(returnCases.id, id));
    await audit(
      tx,
      actor,
      "returns.stage_changed",
      { type: "return_case", id },
      { from: row.stage, to: change.stage, on: change.stageDate },
    );
    if (change.stage === "transferred") await backAheadAdmissions(tx, actor, now);
    return { ok: true };
  });
}
