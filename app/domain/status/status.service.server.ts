import { eq, sql } from "drizzle-orm";
import { eois, schemeSettings, statusHistory } from "../../../db/schema";
import { decryptJson } from "../../.server/crypto.server";
import { type Executor, placeholders, reusable, reusableShapes } from "../../.server/db.server";
import { type Actor, audit } from "../audit/audit.server";
import { announcePending } from "../matching/announce.server";
import { releaseOnWithdrawal } from "../matching/release.server";
import { type Contact, enqueue } from "../notifications/outbox.server";
import {
  type ActorKind,
  canTransition,
  type EoiStatus,
  IllegalTransitionError,
  notifiedStatuses,
} from "./status.rules";

/** What changeStatus needs of the EOI's row. */
export interface LockedRow extends Pick<typeof eois.$inferSelect, "status" | "lang" | "reference"> {
  contact: Contact;
}

async function lockRow(tx: Executor, eoiId: string): Promise<LockedRow> {
  const [row] = await tx
    .select({ status: eois.status, lang: eois.lang, answersEnc: eois.answersEnc, reference: eois.reference })
    .from(eois)
    .where(eq(eois.id, eoiId))
    .for("update");
  if (!row) throw new Error(`EOI ${eoiId} not found`);
  const { answersEnc, ...rest } = row;
  return { ...rest, contact: decryptJson<{ contact?: Contact }>(answersEnc).contact ?? {} };
}

const insertHistory = reusable((executor) =>
  executor
    .insert(statusHistory)
    .values({
      ...placeholders("eoiId", "fromStatus", "toStatus", "reasonCode", "actorType", "actorId"),
      // The real time, not the transaction's start: a decision that first opens the review
      // writes two rows in one transaction, and the history must keep their order.
      at: sql`clock_timestamp()`,
    })
    .returning({ id: statusHistory.id }),
);

type EoiColumn = keyof typeof eois.$inferInsert;

/** The status update, with the other columns a caller sets: one template per set of columns. */
const updateEoi = reusableShapes(
  (columns: EoiColumn[]) => columns.join(),
  (executor, columns: EoiColumn[]) =>
    executor
      .update(eois)
      // drizzle types an update's values without placeholders, but maps them as an insert's.
      .set(placeholders(...columns) as unknown as Partial<typeof eois.$inferInsert>)
      .where(eq(eois.id, sql.placeholder("eoiId"))),
);

/**
 * The only way an application's status changes: checks the state machine, locks the row, writes
 * the history row, the audit row and (when it matters to the applicant) a notification, all in
 * the caller's transaction.
 */
export async function changeStatus(
  tx: Executor,
  eoiId: string,
  to: EoiStatus,
  actor: Actor,
  options: {
    reasonCode?: string;
    params?: Record<string, string>;
    /**
     * The row as the caller read it, locked FOR UPDATE in this transaction: saves reading it
     * again (a submission, on the hot path of issue 9).
     */
    locked?: LockedRow;
    /** Other columns to set in the same update. */
    set?: Partial<typeof eois.$inferInsert>;
    auditDetails?: Record<string, unknown>;
  } = {},
): Promise<void> {
  const row = { ...(options.locked ?? (await lockRow(tx, eoiId))) };
  // An approved applicant may have been matched by a run whose announcement has not reached this
  // row yet: announce it first, under the lock matching runs take, so the change starts from
  // "matched" (app/domain/matching/announce.server.ts).
  if (row.status === "approved") {
    await tx
      .select({ id: schemeSettings.id })
      .from(schemeSettings)
      .where(eq(schemeSettings.id, 1))
      .for("update");
    if (await announcePending(tx, eoiId)) row.status = "matched";
  }
  const kind: ActorKind = actor.type;
  if (!canTransition(row.status, to, kind)) throw new IllegalTransitionError(row.status, to, kind);

  // A matched applicant who withdraws gives their completed return back to the queue.
  if (row.status === "matched" && to === "withdrawn") await releaseOnWithdrawal(tx, eoiId, actor);
  // Independent writes, sent together in one round trip.
  const set = { ...options.set, status: to, updatedAt: new Date() };
  // Columns left undefined are left as they are, as drizzle's own update does.
  const columns = (Object.keys(set) as EoiColumn[]).filter((c) => set[c] !== undefined);
  const [, [history]] = await Promise.all([
    updateEoi(tx, columns, { ...set, eoiId }),
    insertHistory(tx, {
      eoiId,
      fromStatus: row.status,
      toStatus: to,
      reasonCode: options.reasonCode ?? null,
      actorType: actor.type,
      actorId: actor.id ?? null,
    }),
    audit(
      tx,
      actor,
      `status.${to}`,
      { type: "eoi", id: eoiId },
      { from: row.status, reason: options.reasonCode, ...options.auditDetails },
    ),
  ]);
  if (notifiedStatuses.has(to)) {
    await enqueue(tx, {
      dedupeKey: `status:${history?.id}`,
      contact: row.contact,
      template: `status.${to}`,
      lang: row.lang,
      params: {
        reference: row.reference ?? "",
        ...(options.reasonCode ? { reason: options.reasonCode } : {}),
        ...options.params,
      },
      eoiId,
    });
  }
}
