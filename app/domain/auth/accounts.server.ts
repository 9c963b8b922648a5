import { inArray, type SQL, sql } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { sessions } from "../../../db/schema";
import { decrypt, encrypt, hashPassword, verifyPassword } from "../../.server/crypto.server";
import { db, type Executor, rowsOf } from "../../.server/db.server";
import { type Actor, audit } from "../audit/audit.server";
import { enqueue } from "../notifications/outbox.server";

/**
 * Password and TOTP sign-in, shared by the two kinds of account that have them: back-office staff
 * and NGO helpers. Their tables have the same credential columns; only the name, the column that
 * switches an account off and the audit wording differ, so one implementation serves both.
 */
export type AccountKind = "staff" | "helper";

const kinds = {
  staff: { table: sql`staff_users`, inactive: sql`disabled_at`, subject: "staff_user", issuer: "staff" },
  helper: { table: sql`helper_users`, inactive: sql`suspended_at`, subject: "helper_user", issuer: "NGO" },
} as const satisfies Record<AccountKind, { table: SQL; inactive: SQL; subject: string; issuer: string }>;

/** Five wrong passwords in a row lock the account for 15 minutes. */
export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MINUTES = 15;

interface CredentialRow {
  id: string;
  email: string;
  lang: string;
  role: string;
  password_hash: string | null;
  totp_secret_enc: string | null;
  totp_last_step: number | null;
  failed_attempts: number;
  locked_until: string | Date | null;
  inactive: string | Date | null;
}

const credentials = (executor: Executor, kind: AccountKind, where: SQL, lock = false) =>
  rowsOf<CredentialRow>(
    executor,
    sql`select id, email, lang, role, password_hash, totp_secret_enc, totp_last_step, failed_attempts, locked_until,
          ${kinds[kind].inactive} as inactive
        from ${kinds[kind].table} where ${where} ${lock ? sql`for update` : sql``}`,
  );

// Compared against when the email is unknown, so a wrong email takes as long as a wrong password.
let decoyHash: Promise<string> | undefined;
const decoy = async (password: string) => {
  decoyHash ??= hashPassword("decoy password for timing");
  await verifyPassword(password, await decoyHash);
};

export type PasswordResult =
  | { ok: true; id: string; role: string; needsTotpSetup: boolean }
  | { ok: false; lockedUntil?: Date };

export async function checkAccountPassword(
  kind: AccountKind,
  email: string,
  password: string,
  actor: Actor,
  now = new Date(),
): Promise<PasswordResult> {
  const [user] = await credentials(db(), kind, sql`email = ${email.trim().toLowerCase()}`);
  if (!user || user.inactive || !user.password_hash) {
    await decoy(password);
    return { ok: false };
  }
  const lockedUntil = user.locked_until ? new Date(user.locked_until) : null;
  if (lockedUntil && lockedUntil > now) return { ok: false, lockedUntil };
  if (!(await verifyPassword(password, user.password_hash))) {
    const lockUntil = await recordWrongPassword(kind, user, actor, now);
    return lockUntil ? { ok: false, lockedUntil: lockUntil } : { ok: false };
  }
  await db().execute(
    sql`update ${kinds[kind].table} set failed_attempts = 0, locked_until = null where id = ${user.id}`,
  );
  return { ok: true, id: user.id, role: user.role, needsTotpSetup: !user.totp_secret_enc };
}

/** Counts a wrong password; the fifth in a row locks the account. Returns the lock's end, if any. */
async function recordWrongPassword(
  kind: AccountKind,
  user: CredentialRow,
  actor: Actor,
  now: Date,
): Promise<Date | null> {
  const failures = user.failed_attempts + 1;
  const lockUntil =
    failures >= MAX_FAILED_SIGN_INS ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : null;
  await db().transaction(async (tx) => {
    await tx.execute(
      sql`update ${kinds[kind].table} set failed_attempts = ${lockUntil ? 0 : failures},
            locked_until = ${lockUntil?.toISOString() ?? null}::timestamptz where id = ${user.id}`,
    );
    await audit(tx, actor, lockUntil ? `${kind}.locked` : `${kind}.password_failed`, {
      type: kinds[kind].subject,
      id: user.id,
    });
  });
  return lockUntil;
}

export type PasswordChange = { ok: true } | { ok: false; error: "wrong" | "locked" };

/**
 * A signed-in person changes their own password (ASVS 2.1.5, 2.1.6). The current one is checked
 * as at sign-in: a wrong one counts towards the lockout. Then, in one transaction: the new hash, an
 * administrator's initial password no longer to be changed, every session of the account ended on
 * every device (the caller signs this browser in again), the audit row, and an email telling the
 * owner, who would otherwise not know if someone else did it. The length rule is the form's.
 */
export async function changeAccountPassword(
  kind: AccountKind,
  id: string,
  currentPassword: string,
  newPassword: string,
  actor: Actor,
  now = new Date(),
): Promise<PasswordChange> {
  const [user] = await credentials(db(), kind, sql`id = ${id}`);
  if (!user?.password_hash || user.inactive) return { ok: false, error: "wrong" };
  if (user.locked_until && new Date(user.locked_until) > now) return { ok: false, error: "locked" };
  if (!(await verifyPassword(currentPassword, user.password_hash))) {
    return { ok: false, error: (await recordWrongPassword(kind, user, actor, now)) ? "locked" : "wrong" };
  }
  const passwordHash = await hashPassword(newPassword);
  await db().transaction(async (tx) => {
    await tx.execute(
      sql`update ${kinds[kind].table} set password_hash = ${passwordHash}, failed_attempts = 0,
            locked_until = null, sessions_valid_after = ${now.toISOString()}::timestamptz
            ${kind === "staff" ? sql`, must_change_password = false` : sql``}
          where id = ${id}`,
    );
    await tx.delete(sessions).where(inArray(sessions.subject, [`${kind}:${id}`, `${kind}-pending:${id}`]));
    await audit(tx, actor, `${kind}.password_changed`, { type: kinds[kind].subject, id });
    await enqueue(tx, {
      dedupeKey: `password_changed:${kind}:${id}:${now.getTime()}`,
      contact: { email: user.email },
      template: "password_changed",
      lang: user.lang,
    });
  });
  return { ok: true };
}

const totpFor = (kind: AccountKind, secret: Secret, label: string) =>
  new TOTP({
    issuer: `UK transfer scheme (${kinds[kind].issuer})`,
    label,
    secret,
    algorithm: "SHA1",
    digits: 6,
    period: 30,
  });

/**
 * A secret for an authenticator app (new unless given), as text and as an otpauth:// link for
 * the QR code.
 */
export function newTotpSecret(email: string, base32?: string, kind: AccountKind = "staff") {
  const secret = base32 ? Secret.fromBase32(base32) : new Secret({ size: 20 });
  return { secret: secret.base32, uri: totpFor(kind, secret, email).toString() };
}

/**
 * The authenticator set-up shown at first sign-in: a new secret waits (encrypted) in the pending
 * session until a code from it is typed back, so a half-finished set-up changes nothing. Returns
 * the key to type (in groups of four) and the QR code as a data URL; the caller commits `session`.
 */
export async function pendingTotpSetup(
  session: { get(key: string): unknown; set(key: string, value: unknown): void },
  kind: AccountKind,
  email: string,
): Promise<{ secret: string; qr: string }> {
  let secretEnc = session.get("totpSetupSecret") as string | undefined;
  if (!secretEnc) {
    secretEnc = encrypt(newTotpSecret(email, undefined, kind).secret);
    session.set("totpSetupSecret", secretEnc);
  }
  const secret = decrypt(secretEnc);
  const svg = await QRCode.toString(newTotpSecret(email, secret, kind).uri, {
    type: "svg",
    margin: 2,
    errorCorrectionLevel: "M",
  });
  return {
    secret: secret.replace(/(.{4})/g, "$1 ").trim(),
    qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`,
  };
}

/**
 * Accepts a code for the current 30-second step or its neighbours, never the same step twice: a
 * right code for a step already used is "reused" (someone may have seen it typed, ASVS 2.8.5).
 */
function acceptedStep(
  secretBase32: string,
  token: string,
  lastStep: number | null,
  now: Date,
): number | "reused" | null {
  const delta = TOTP.validate({
    token: token.replace(/\s/g, ""),
    secret: Secret.fromBase32(secretBase32),
    window: 1,
    timestamp: now.getTime(),
  });
  if (delta === null) return null;
  const step = Math.floor(now.getTime() / 30_000) + delta;
  return lastStep !== null && step <= lastStep ? "reused" : step;
}

/** First set-up of the second factor; a code from the new secret proves the app holds it. */
export async function confirmAccountTotp(
  kind: AccountKind,
  id: string,
  secretBase32: string,
  token: string,
  actor: Actor,
  now = new Date(),
): Promise<boolean> {
  const step = acceptedStep(secretBase32, token, null, now);
  if (typeof step !== "number") return false;
  return db().transaction(async (tx) => {
    // Only a first set-up: two tabs racing cannot replace a secret already confirmed.
    const updated = await rowsOf<{ id: string }>(
      tx,
      sql`update ${kinds[kind].table} set totp_secret_enc = ${encrypt(secretBase32)}, totp_last_step = ${step}
          where id = ${id} and totp_secret_enc is null returning id`,
    );
    if (updated.length === 0) return false;
    const subject = { type: kinds[kind].subject, id };
    await audit(tx, actor, `${kind}.totp_set_up`, subject);
    await audit(tx, actor, `${kind}.signed_in`, subject);
    return true;
  });
}

export async function verifyAccountTotp(
  kind: AccountKind,
  id: string,
  token: string,
  actor: Actor,
  now = new Date(),
): Promise<boolean> {
  return db().transaction(async (tx) => {
    const [user] = await credentials(tx, kind, sql`id = ${id}`, true);
    if (!user?.totp_secret_enc || user.inactive) return false;
    const step = acceptedStep(decrypt(user.totp_secret_enc), token, user.totp_last_step, now);
    const outcome = step === null ? "totp_failed" : step === "reused" ? "totp_reused" : "signed_in";
    await audit(tx, actor, `${kind}.${outcome}`, { type: kinds[kind].subject, id });
    if (typeof step !== "number") return false;
    await tx.execute(sql`update ${kinds[kind].table} set totp_last_step = ${step} where id = ${id}`);
    return true;
  });
}
