import { randomInt } from "node:crypto";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { otpCodes } from "../../../db/schema";
import { blindIndex, safeEqual } from "../../.server/crypto.server";
import { db } from "../../.server/db.server";
import { type Contact, enqueue } from "../notifications/outbox.server";

type Purpose = (typeof otpCodes.$inferInsert)["purpose"];

/** Codes live 10 minutes (ASVS 2.7.2), allow 5 guesses, and a new code voids the previous one. */
export const CODE_TTL_MINUTES = 10;
export const MAX_GUESSES = 5;

/** One target per contact set: the keyed hash of the email and/or mobile given together. */
export function contactTarget(contact: Contact): string {
  return blindIndex("otp-target", `${contact.email ?? ""}|${contact.mobile ?? ""}`);
}

const hashCode = (target: string, code: string) => blindIndex("otp-code", `${target}|${code}`);

/** Issues a code and queues it to every channel of the contact, in one transaction. */
export async function issueCode(
  purpose: Purpose,
  contact: Contact,
  lang: string,
  options: { eoiId?: string } = {},
): Promise<void> {
  const target = contactTarget(contact);
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  await db().transaction(async (tx) => {
    await tx
      .update(otpCodes)
      .set({ consumedAt: new Date() })
      .where(
        and(eq(otpCodes.purpose, purpose), eq(otpCodes.targetHash, target), isNull(otpCodes.consumedAt)),
      );
    const [row] = await tx
      .insert(otpCodes)
      .values({
        purpose,
        targetHash: target,
        codeHash: hashCode(target, code),
        eoiId: options.eoiId ?? null,
        expiresAt: new Date(Date.now() + CODE_TTL_MINUTES * 60_000),
      })
      .returning({ id: otpCodes.id });
    await enqueue(tx, {
      dedupeKey: `otp:${row?.id}`,
      contact,
      template: "otp",
      lang,
      params: { code, minutes: String(CODE_TTL_MINUTES) },
      eoiId: options.eoiId,
    });
  });
}

/**
 * Checks a code: single use, unexpired, at most MAX_GUESSES tries. Returns the EOI the code was
 * issued for (if any) on success, or null. The guess counter is bumped atomically first, so
 * parallel guesses cannot exceed the limit.
 */
export async function verifyCode(
  purpose: Purpose,
  contact: Contact,
  code: string,
): Promise<{ eoiId: string | null } | null> {
  const target = contactTarget(contact);
  return db().transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(otpCodes)
      .where(
        and(
          eq(otpCodes.purpose, purpose),
          eq(otpCodes.targetHash, target),
          isNull(otpCodes.consumedAt),
          gt(otpCodes.expiresAt, new Date()),
        ),
      )
      .orderBy(desc(otpCodes.createdAt))
      .limit(1)
      .for("update");
    if (!row || row.attempts >= MAX_GUESSES) return null;
    const ok = safeEqual(row.codeHash, hashCode(target, code));
    await tx
      .update(otpCodes)
      .set(
        ok
          ? { consumedAt: new Date(), attempts: sql`${otpCodes.attempts} + 1` }
          : { attempts: sql`${otpCodes.attempts} + 1` },
      )
      .where(eq(otpCodes.id, row.id));
    return ok ? { eoiId: row.eoiId } : null;
  });
}
