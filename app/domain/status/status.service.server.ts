import { eq, sql } from "drizzle-orm";
import { eois, schemeSettings, statusHistory } from "../../../db/schema";
import { decryptJson } from "../../.server/crypto.server";
import type { Executor } from "../../.server/db.server";
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
  options: { reasonCode?: string; params?: Record<string, string> } = {},
): Promise<void> {
  const [row] = await tx
    .select({ status: eois.status, lang: eois.lang, answersEnc: eois.answersEnc, reference: eois.reference })
    .from(eois)
    .where(eq(eois.id, eoiId))
    .for("update");
  if (!row) throw new Error(`EOI ${eoiId} not found`);
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

  await tx.update(eois).set({ status: to, updatedAt: new Date() }).where(eq(eois.id, eoiId));
  // A matched applicant who withdraws gives their completed return back to the queue.
  if (row.status === "matched" && to === "withdrawn") await releaseOnWithdrawal(tx, eoiId, actor);
  const [history] = await tx
    .insert(statusHistory)
    .values({
      eoiId,
      fromStatus: row.status,
      toStatus: to,
      reasonCode: options.reasonCode ?? null,
      actorType: actor.type,
      actorId: actor.id ?? null,
      // The real time, not the transaction's start: a decision that first opens the review writes
      // two rows in one transaction, and the history must keep their order.
      at: sql`clock_timestamp()`,
    })
    .returning({ id: statusHistory.id });
  await audit(
    tx,
    actor,
    `status.${to}`,
    { type: "eoi", id: eoiId },
    { from: row.status, reason: options.reasonCode },
  );
  if (notifiedStatuses.has(to)) {
    const { contact } = decryptJson<{ contact?: Contact }>(row.answersEnc);
    await enqueue(tx, {
      dedupeKey: `status:${history?.id}`,
      contact: contact ?? {},
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
