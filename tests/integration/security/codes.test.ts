import { and, desc, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { notifications } from "#db/schema";
import { decryptJson } from "~/.server/crypto.server";
import { db } from "~/.server/db.server";
import { CODE_TTL_MINUTES, issueCode, verifyCode } from "~/domain/auth/otp.service.server";
import { setupTestDatabase } from "../../support/db";

setupTestDatabase();

/** The code in the newest message to `email` (the test reads it as the applicant would). */
async function codeSentTo(email: string): Promise<string> {
  const [message] = await db()
    .select({ paramsEnc: notifications.paramsEnc })
    .from(notifications)
    .where(and(eq(notifications.template, "otp"), eq(notifications.channel, "email")))
    .orderBy(desc(notifications.createdAt))
    .limit(1);
  const params = decryptJson<{ code: string; minutes: string }>(message?.paramsEnc as string);
  expect(params.minutes, `the message to ${email} says how long the code lasts`).toBe("10");
  return params.code;
}

describe("one-time codes (ASVS 2.7.2)", () => {
  afterEach(() => vi.useRealTimers());

  it("work for 10 minutes, and not after", async () => {
    expect(CODE_TTL_MINUTES).toBe(10);
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = new Date("2026-11-24T10:00:00Z");

    vi.setSystemTime(start);
    const early = { email: `early.${Date.now()}@example.org` };
    await issueCode("verify_contact", early, "fr");
    const earlyCode = await codeSentTo(early.email);
    vi.setSystemTime(new Date(start.getTime() + 9 * 60_000 + 59_000));
    expect(await verifyCode("verify_contact", early, earlyCode)).not.toBeNull();

    vi.setSystemTime(start);
    const late = { email: `late.${Date.now()}@example.org` };
    await issueCode("verify_contact", late, "fr");
    const lateCode = await codeSentTo(late.email);
    vi.setSystemTime(new Date(start.getTime() + 10 * 60_000 + 1_000));
    expect(await verifyCode("verify_contact", late, lateCode)).toBeNull();
  });
});
