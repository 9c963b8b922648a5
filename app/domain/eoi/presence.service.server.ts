import { and, eq, isNull, lt } from "drizzle-orm";
import { eoiFlags, eois, presenceChecks } from "../../../db/schema";
import { blindIndex } from "../../.server/crypto.server";
import { db, type Transaction } from "../../.server/db.server";
import { type Actor, audit, systemActor } from "../audit/audit.server";
import { changeStatus } from "../status/status.service.server";
import { classifyLocation } from "./presence";

type Result = NonNullable<(typeof presenceChecks.$inferSelect)["result"]>;

export interface PresenceLink {
  eoiId: string;
  lang: string;
  expiresAt: Date;
  result: Result | null;
}

/** The check behind a link from the presence email/SMS, or null for an unknown token. */
export async function findPresenceLink(token: string): Promise<PresenceLink | null> {
  const [row] = await db()
    .select({
      eoiId: presenceChecks.eoiId,
      lang: eois.lang,
      expiresAt: presenceChecks.expiresAt,
      result: presenceChecks.result,
    })
    .from(presenceChecks)
    .innerJoin(eois, eq(eois.id, presenceChecks.eoiId))
    .where(eq(presenceChecks.tokenHash, blindIndex("presence", token)));
  return row ?? null;
}

/**
 * Records the outcome of a check once and moves the application on: confirmed in France, or
 * "location not confirmed" with a flag for caseworkers (domain.md Part A §3). Only the outcome is
 * kept, never the coordinates.
 */
async function complete(
  tx: Transaction,
  checkId: string,
  eoiId: string,
  result: Result,
  actor: Actor,
): Promise<void> {
  await tx
    .update(presenceChecks)
    .set({ result, completedAt: new Date() })
    .where(eq(presenceChecks.id, checkId));
  const [eoi] = await tx.select({ status: eois.status }).from(eois).where(eq(eois.id, eoiId));
  const verified = result === "in_france";
  if (eoi?.status === "submitted" || (verified && eoi?.status === "location_unverified")) {
    await changeStatus(tx, eoiId, verified ? "location_verified" : "location_unverified", systemActor, {
      reasonCode: verified ? undefined : result,
    });
  }
  if (!verified) {
    await tx.insert(eoiFlags).values({ eoiId, kind: "location_unverified", details: { result } });
  }
  await audit(tx, actor, "presence.recorded", { type: "eoi", id: eoiId }, { result });
}

/**
 * Records a reading (or "cannot share"). A reading too imprecise to tell, or too near the border
 * for its accuracy, is "inconclusive": nothing is recorded and the applicant can try again.
 */
export async function recordPresence(
  token: string,
  reading: { lat: number; lon: number; accuracy: number } | null,
  actor: Actor,
  now = new Date(),
): Promise<Result | "inconclusive"> {
  return db().transaction(async (tx) => {
    const [check] = await tx
      .select()
      .from(presenceChecks)
      .where(eq(presenceChecks.tokenHash, blindIndex("presence", token)))
      .for("update");
    if (!check) throw new Response("Not found", { status: 404 });
    if (check.result) return check.result;
    let result: Result;
    if (check.expiresAt <= now) result = "expired";
    else if (!reading) result = "no_location";
    else {
      const where = classifyLocation(reading);
      if (where === "inconclusive") return "inconclusive";
      result = where;
    }
    await complete(tx, check.id, check.eoiId, result, actor);
    return result;
  });
}

/** Links left unused for 24 hours are closed as "expired" (run by the background worker). */
export async function expireOverduePresenceChecks(now = new Date()): Promise<number> {
  const overdue = await db()
    .select({ id: presenceChecks.id, eoiId: presenceChecks.eoiId })
    .from(presenceChecks)
    .where(and(isNull(presenceChecks.completedAt), lt(presenceChecks.expiresAt, now)))
    .limit(500);
  for (const check of overdue) {
    await db().transaction(async (tx) => {
      const [locked] = await tx
        .select({ completedAt: presenceChecks.completedAt })
        .from(presenceChecks)
        .where(eq(presenceChecks.id, check.id))
        .for("update", { skipLocked: true });
      if (locked && !locked.completedAt) await complete(tx, check.id, check.eoiId, "expired", systemActor);
    });
  }
  return overdue.length;
}
