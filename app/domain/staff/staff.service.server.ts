import { eq, sql } from "drizzle-orm";
import { type StaffRole, sessions, staffUsers } from "../../../db/schema";
import { hashPassword } from "../../.server/crypto.server";
import { db } from "../../.server/db.server";
import { type Actor, audit } from "../audit/audit.server";
import {
  checkAccountPassword,
  confirmAccountTotp,
  newTotpSecret as newAccountTotpSecret,
  verifyAccountTotp,
} from "../auth/accounts.server";
import { enqueue } from "../notifications/outbox.server";

/**
 * Staff accounts: created by an admin, password (scrypt) and a mandatory TOTP second factor set up
 * at first sign-in, lockout after repeated failures, and "sign out everywhere".
 */

const normaliseEmail = (email: string) => email.trim().toLowerCase();

export type PasswordResult =
  | { ok: true; staffId: string; role: StaffRole; needsTotpSetup: boolean }
  | { ok: false; lockedUntil?: Date };

export async function checkPassword(
  email: string,
  password: string,
  actor: Actor,
  now = new Date(),
): Promise<PasswordResult> {
  const result = await checkAccountPassword("staff", email, password, actor, now);
  if (!result.ok) return result;
  return {
    ok: true,
    staffId: result.id,
    role: result.role as StaffRole,
    needsTotpSetup: result.needsTotpSetup,
  };
}

export const newTotpSecret = (email: string, base32?: string) => newAccountTotpSecret(email, base32, "staff");

export const confirmTotpSetup = (
  staffId: string,
  secret: string,
  token: string,
  actor: Actor,
  now = new Date(),
) => confirmAccountTotp("staff", staffId, secret, token, actor, now);

export const verifyTotp = (staffId: string, token: string, actor: Actor, now = new Date()) =>
  verifyAccountTotp("staff", staffId, token, actor, now);

/** A new account, with an initial password the person must change at their first sign-in. */
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
        mustChangePassword: true,
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
 * The person is emailed, so that a reset they did not ask for does not go unnoticed (ASVS 2.2.3).
 */
export async function resetAuthenticator(staffId: string, actor: Actor, now = new Date()): Promise<void> {
  await db().transaction(async (tx) => {
    const [person] = await tx
      .update(staffUsers)
      .set({ totpSecretEnc: null, totpLastStep: null, sessionsValidAfter: sql`now()` })
      .where(eq(staffUsers.id, staffId))
      .returning({ email: staffUsers.email, lang: staffUsers.lang });
    if (!person) return;
    await tx.delete(sessions).where(eq(sessions.subject, `staff:${staffId}`));
    await audit(tx, actor, "staff.totp_reset", { type: "staff_user", id: staffId });
    await enqueue(tx, {
      dedupeKey: `authenticator_reset:${staffId}:${now.getTime()}`,
      contact: { email: person.email },
      template: "authenticator_reset",
      lang: person.lang,
    });
  });
}
