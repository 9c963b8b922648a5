import { and, eq, isNull } from "drizzle-orm";
import { matches } from "../../../db/schema";
import type { Executor } from "../../.server/db.server";
import { type Actor, audit } from "../audit/audit.server";
import type { UnmatchReason } from "./matching.rules";

type Tx = Executor;

export const staffIdOf = (actor: Actor) => (actor.type === "staff" && actor.id ? actor.id : null);

/** Releases an active match: the return is free again, the applicant back in the queue. */
export async function release(
  tx: Tx,
  match: { id: string; eoiId: string; returnCaseId: string | null },
  reason: UnmatchReason,
  actor: Actor,
  now: Date,
  note?: string,
): Promise<void> {
  await tx
    .update(matches)
    .set({ unmatchedAt: now, unmatchedBy: staffIdOf(actor), unmatchReason: reason })
    .where(eq(matches.id, match.id));
  await audit(
    tx,
    actor,
    "matching.unmatched",
    { type: "eoi", id: match.eoiId },
    {
      match: match.id,
      return: match.returnCaseId,
      reason,
      ...(note ? { note } : {}),
    },
  );
}

/**
 * An applicant who withdraws after being matched gives their return back (called by changeStatus
 * in the same transaction, so a withdrawal never leaves a return held by nobody).
 */
export async function releaseOnWithdrawal(
  tx: Tx,
  eoiId: string,
  actor: Actor,
  now = new Date(),
): Promise<void> {
  const [match] = await tx
    .select({ id: matches.id, eoiId: matches.eoiId, returnCaseId: matches.returnCaseId })
    .from(matches)
    .where(and(eq(matches.eoiId, eoiId), isNull(matches.unmatchedAt)))
    .for("update");
  if (match) await release(tx, match, "applicant_withdrew", actor, now);
}
