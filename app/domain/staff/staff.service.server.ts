import { and, eq, isNull, sql } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import { type StaffRole, sessions, staffUsers } from "../../../db/schema";
import { decrypt, encrypt, hashPassword, verifyPassword } from "../../.server/crypto.server";
import { db } from "../../.server/db.server";
import { type Actor, audit } from "../audit/audit.server";
import { LOCKOUT_MINUTES, MAX_FAILED_SIGN_INS } from "./staff.rules";

/**
 * Staff accounts: created by an admin, password (scrypt) and a mandatory TOTP second factor set up
 * at first sign-in, lockout after repeated failures, and "sign out everywhere".
 */

const normaliseEmail = (email: string) => email.trim().toLowerCase();

// Compared against when the email is unknown, so a wrong email takes as long as a wrong password.
let decoyHash: Promise<string> | undefined;

export type PasswordResult =
  | { ok: true; staffId: string; role: StaffRole; needsTotpSetup: boolean }
  | { ok: false; lockedUntil?: Date };

export async function checkPassword(
  email: string,
  password: string,
  actor: Actor,
  now = new Date(),
): Promise<PasswordResult> {
  const [user] = await db()
    .select()
    .from(staffUsers)
    .where(eq(staffUsers.email, normaliseEmail(email)));
  if (!user || user.disabledAt) {
    decoyHash ??= hashPassword("decoy password for timing");
    await verifyPassword(password, await decoyHash);
    return { ok: false };
  }
  if (user.lockedUntil && user.lockedUntil > now) return { ok: false, lockedUntil: user.lockedUntil };
  const subject = { type: "staff_user", id: user.id };
  if (!(await verifyPassword(password, user.passwordHash))) {
    const failures = user.failedAttempts + 1;
    const lockedUntil =
      failures >= MAX_FAILED_SIGN_INS ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : null;
    await db().transaction(async (tx) => {
      await tx
        .update(staffUsers)
        .set({ failedAttempts: lockedUntil ? 0 : failures, lockedUntil })
        .where(eq(staffUsers.id, user.id));
      await audit(tx, actor, lockedUntil ? "staff.locked" : "staff.password_failed", subject);
    });
    return lockedUntil ? { ok: false, lockedUntil } : { ok: false };
  }
  await db()
    .update(staffUsers)
    .set({ failedAttempts: 0, lockedUntil: null })
    .where(eq(staffUsers.id, user.id));
  return { ok: true, staffId: user.id, role: user.role, needsTotpSetup: !user.totpSecretEnc };
}

const totpFor = (secret: Secret, label: string) =>
  new TOTP({ issuer: "UK transfer scheme (staff)", label, secret, algorithm: "SHA1", digits: 6, period: 30 });

/**
 * A secret for an authenticator app (new unless given), as text and as an otpauth:// link for
 * the QR code.
 */
export function newTotpSecret(email: string, base32?: string): { secret: string; uri: string } {
  const secret = base32 ? Secret.fromBase32(base32) : new Secret({ size: 20 });
  return { secret: secret.base32, uri: totpFor(secret, email).toString() };
}

/** Accepts a code for the current 30-second step or its neighbours, never the same step twice. */
function acceptedStep(
  secretBase32: string,
  token: string,
  lastStep: number | null,
  now: Date,
): number | null {
  const delta = TOTP.validate({
    token,
    secret: Secret.fromBase32(secretBase32),
    window: 1,
    timestamp: now.getTime(),
  });
  if (delta === null) return null;
  const step = Math.floor(now.getTime() / 30_000) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

export async function confirmTotpSetup(
  staffId: string,
  secretBase32: string,
  token: string,
  actor: Actor,
  now = new Date(),
) {
  const step = acceptedStep(secretBase32, token.replace(/\s/g, ""), null, now);
  if (step === null) return false;
  return db().transaction(async (tx) => {
    // Only a first set-up: two tabs racing cannot replace a secret already confirmed.
    const updated = await tx
      .update(staffUsers)
      .set({ totpSecretEnc: encrypt(secretBase32), totpLastStep: step })
      .where(and(eq(staffUsers.id, staffId), isNull(staffUsers.totpSecretEnc)))
      .returning({ id: staffUsers.id });
    if (updated.length === 0) return false;
    const subject = { type: "staff_user", id: staffId };
    await audit(tx, actor, "staff.totp_set_up", subject);
    await audit(tx, actor, "staff.signed_in", subject);
    return true;
  });
}

export async function verifyTotp(
  staffId: string,
  token: string,
  actor: Actor,
  now = new Date(),
): Promise<boolean> {
  return db().transaction(async (tx) => {
    const [user] = await tx.select().from(staffUsers).where(eq(staffUsers.id, staffId)).for("update");
    if (!user?.totpSecretEnc) return false;
    const step = acceptedStep(decrypt(user.totpSecretEnc), token.replace(/\s/g, ""), user.totpLastStep, now);
    await audit(tx, actor, step === null ? "staff.totp_failed" : "staff.signed_in", {
      type: "staff_user",
      id: staffId,
    });
    if (step === null) return false;
    await tx.update(staffUsers).set({ totpLastStep: step }).where(eq(staffUsers.id, staffId));
    return true;
  });
}

export async function createStaffAccount(
  input: { email: string; name: string; role: StaffRole; lang: "en" | "fr"; password: string },
  actor: Actor,
): Promise<string> {
  const passwordHash = await hashPassword(input.password);
  const [taken] = await db()
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(eq(staffUsers.email, normaliseEmail(input.email)));
  if (taken) throw new DuplicateStaffEmailError();
  return db().transaction(async (tx) => {
    const [row] = await tx
      .insert(staffUsers)
      .values({
        email: normaliseEmail(input.email),
        name: input.name,
        role: input.role,
        lang: input.lang,
        passwordHash,
      })
      .returning({ id: staffUsers.id });
    const id = row?.id as string;
    await audit(tx, actor, "staff.created", { type: "staff_user", id }, { role: input.role });
    return id;
  });
}

/** Ends every session of the account at once, on every device and instance. */
export async function signOutEverywhere(staffId: string, actor: Actor): Promise<void> {
  await db().transaction(async (tx) => {
    await tx.update(staffUsers).set({ sessionsValidAfter: sql`now()` }).where(eq(staffUsers.id, staffId));
    await tx.delete(sessions).where(eq(sessions.subject, `staff:${staffId}`));
    await audit(tx, actor, "staff.signed_out_everywhere", { type: "staff_user", id: staffId });
  });
}

export async function setStaffLanguage(staffId: string, lang: "en" | "fr", actor: Actor): Promise<void> {
  await db().transaction(async (tx) => {
    await tx.update(staffUsers).set({ lang }).where(eq(staffUsers.id, staffId));
    await audit(tx, actor, "staff.language_changed", { type: "staff_user", id: staffId }, { lang });
  });
}

export interface StaffAccountRow {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
  lang: "en" | "fr";
  state: "active" | "awaitingMfa" | "locked" | "disabled";
}

/** Every account, for the admin's list (no secrets leave this function). */
export async function listStaffAccounts(now = new Date()): Promise<StaffAccountRow[]> {
  const rows = await db().select().from(staffUsers).orderBy(staffUsers.name);
  return rows.map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    lang: u.lang,
    state: u.disabledAt
      ? "disabled"
      : u.lockedUntil && u.lockedUntil > now
        ? "locked"
        : u.totpSecretEnc
          ? "active"
          : "awaitingMfa",
  }));
}

export class DuplicateStaffEmailError extends Error {}

/** A leaver's account: disabled at once, every session ended; the row stays for the audit trail. */
export async function disableStaffAccount(staffId: string, actor: Actor): Promise<void> {
  await db().transaction(async (tx) => {
    await tx
      .update(staffUsers)
      .set({ disabledAt: sql`now()`, sessionsValidAfter: sql`now()` })
      .where(eq(staffUsers.id, staffId));
    await tx.delete(sessions).where(eq(sessions.subject, `staff:${staffId}`));
    await audit(tx, actor, "staff.disabled", { type: "staff_user", id: staffId });
  });
}

/**
 * A lost or replaced phone: the authenticator is forgotten and every session ends; at next sign-in
 * (password still needed) the person sets up a new one. Done by an admin, who checks who is asking.
 */
export async function resetAuthenticator(staffId: string, actor: Actor): Promise<void> {
  await db().transaction(async (tx) => {
    await tx
      .update(staffUsers)
      .set({ totpSecretEnc: null, totpLastStep: null, sessionsValidAfter: sql`now()` })
      .where(eq(staffUsers.id, staffId));
    await tx.delete(sessions).where(eq(sessions.subject, `staff:${staffId}`));
    await audit(tx, actor, "staff.totp_reset", { type: "staff_user", id: staffId });
  });
}
