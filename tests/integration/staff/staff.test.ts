import { eq } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { auditLog, sessions, staffUsers } from "#db/schema";
import { db } from "~/.server/db.server";
import type { Actor } from "~/domain/audit/audit.server";
import {
  checkPassword,
  confirmTotpSetup,
  createStaffAccount,
  newTotpSecret,
  signOutEverywhere,
  verifyTotp,
} from "~/domain/staff/staff.service.server";
import { setupTestDatabase } from "../../support/db";

setupTestDatabase("staff");

const admin: Actor = { type: "staff", id: "admin-test", ip: "127.0.0.1" };
const code = (secret: string, at: Date) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: at.getTime(),
  });

async function account(email: string) {
  return createStaffAccount(
    { email, name: "Test", role: "caseworker", lang: "fr", password: "correct horse battery" },
    admin,
  );
}

describe("staff sign-in", () => {
  it("accepts the right password, asks for the second factor to be set up first, and audits creation", async () => {
    const id = await account("Case.Worker@Example.test");
    expect(await checkPassword("case.worker@example.test", "correct horse battery", admin)).toEqual({
      ok: true,
      staffId: id,
      role: "caseworker",
      needsTotpSetup: true,
    });
    expect(await checkPassword("nobody@example.test", "correct horse battery", admin)).toEqual({ ok: false });
    const audit = await db().select().from(auditLog).where(eq(auditLog.subjectId, id));
    expect(audit.map((a) => a.action)).toContain("staff.created");
  });

  it("locks the account after five wrong passwords, even against the right one, until the lock ends", async () => {
    await account("locked@example.test");
    const now = new Date();
    for (let i = 0; i < 4; i++)
      expect(await checkPassword("locked@example.test", "wrong", admin, now)).toEqual({ ok: false });
    const fifth = await checkPassword("locked@example.test", "wrong", admin, now);
    expect(fifth.ok === false && fifth.lockedUntil).toBeInstanceOf(Date);
    expect((await checkPassword("locked@example.test", "correct horse battery", admin, now)).ok).toBe(false);
    const later = new Date(now.getTime() + 16 * 60_000);
    expect((await checkPassword("locked@example.test", "correct horse battery", admin, later)).ok).toBe(true);
  });

  it("sets up TOTP with a valid code, then accepts each code once only", async () => {
    const id = await account("totp@example.test");
    const { secret, uri } = newTotpSecret("totp@example.test");
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    const now = new Date();
    expect(await confirmTotpSetup(id, secret, "000000", admin, now)).toBe(false);
    expect(await confirmTotpSetup(id, secret, code(secret, now), admin, now)).toBe(true);
    const [row] = await db().select().from(staffUsers).where(eq(staffUsers.id, id));
    expect(row?.totpSecretEnc).not.toContain(secret);
    // The setup code cannot be replayed to sign in; the next step's code works, once.
    expect(await verifyTotp(id, code(secret, now), admin, now)).toBe(false);
    const next = new Date(now.getTime() + 30_000);
    expect(await verifyTotp(id, code(secret, next), admin, next)).toBe(true);
    expect(await verifyTotp(id, code(secret, next), admin, next)).toBe(false);
    // Each refusal of a right code already used is audited as such, apart from wrong codes (ASVS 2.8.5).
    expect(await verifyTotp(id, "000000", admin, next)).toBe(false);
    const actions = (await db().select().from(auditLog).where(eq(auditLog.subjectId, id)))
      .map((a) => a.action)
      .filter((a) => a.startsWith("staff.totp_") || a === "staff.signed_in");
    expect(actions.sort()).toEqual(
      [
        "staff.totp_set_up",
        "staff.signed_in",
        "staff.totp_reused",
        "staff.signed_in",
        "staff.totp_reused",
        "staff.totp_failed",
      ].sort(),
    );
  });

  it("signs out everywhere: every session of the account is gone", async () => {
    const id = await account("everywhere@example.test");
    const expiresAt = new Date(Date.now() + 60_000);
    await db()
      .insert(sessions)
      .values([
        { id: "s1", subject: `staff:${id}`, data: {}, expiresAt },
        { id: "s2", subject: `staff:${id}`, data: {}, expiresAt },
        { id: "s3", subject: "staff:someone-else", data: {}, expiresAt },
      ]);
    await signOutEverywhere(id, admin);
    const left = await db().select({ id: sessions.id }).from(sessions);
    expect(left.map((s) => s.id)).toEqual(["s3"]);
  });
});
