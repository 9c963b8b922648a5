import { createHash } from "node:crypto";
import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { helperUsers, organisations, sessions } from "../../../db/schema";
import { hashPassword, randomToken } from "../../.server/crypto.server";
import { db, type Executor } from "../../.server/db.server";
import { type Actor, audit } from "../audit/audit.server";
import { isUuid } from "../cases/cases.rules";
import { enqueue } from "../notifications/outbox.server";
import type { HelperLanguage } from "./accounts.pages";

/**
 * NGO helpers' accounts. The back office registers an organisation with its coordinator; the
 * coordinator invites their own helpers. Nobody chooses a password for someone else: an emailed,
 * single-use link (7 days) lets each person set their own, then set up their authenticator.
 * Signing in itself is shared with staff (domain/auth/accounts.server.ts).
 */

export const INVITE_DAYS = 7;

export interface Invitee {
  name: string;
  email: string;
  lang: HelperLanguage;
}

export class DuplicateOrganisationError extends Error {}
export class DuplicateHelperEmailError extends Error {}

const normaliseEmail = (email: string) => email.trim().toLowerCase();
// Only the hash is stored: a copy of the database cannot be used to accept an invitation.
const tokenHash = (token: string) => createHash("sha256").update(token).digest("base64url");
const helperSubject = (id: string) => ({ type: "helper_user", id });

/** The unique constraints behind "already registered", whichever driver raised them. */
function duplicateError(error: unknown): Error | null {
  type DbError = { code?: string; constraint_name?: string; constraint?: string; cause?: unknown };
  for (let e = error as DbError | undefined; e; e = e.cause as DbError | undefined) {
    if (e.code !== "23505") continue;
    const constraint = e.constraint_name ?? e.constraint;
    if (constraint === "organisations_name_uniq") return new DuplicateOrganisationError();
    if (constraint === "helper_users_email_uniq") return new DuplicateHelperEmailError();
  }
  return null;
}

/** A fresh invitation link for the account, emailed in the invitee's language. */
async function sendInvitation(
  tx: Executor,
  helperId: string,
  invitee: Invitee,
  organisation: string,
  now: Date,
): Promise<void> {
  const token = randomToken();
  const hash = tokenHash(token);
  await tx
    .update(helperUsers)
    .set({ inviteTokenHash: hash, inviteExpiresAt: new Date(now.getTime() + INVITE_DAYS * 86_400_000) })
    .where(eq(helperUsers.id, helperId));
  await enqueue(tx, {
    dedupeKey: `helper_invite:${helperId}:${hash}`,
    contact: { email: invitee.email },
    template: "helper_invite",
    lang: invitee.lang,
    params: {
      name: invitee.name,
      organisation,
      days: String(INVITE_DAYS),
      path: `/${invitee.lang}/helpers/invite/${token}`,
    },
  });
}

async function createInvited(
  tx: Executor,
  organisation: { id: string; name: string },
  role: "helper" | "coordinator",
  invitee: Invitee,
  actor: Actor,
  now: Date,
): Promise<string> {
  const [row] = await tx
    .insert(helperUsers)
    .values({
      organisationId: organisation.id,
      email: normaliseEmail(invitee.email),
      name: invitee.name,
      role,
      lang: invitee.lang,
    })
    .returning({ id: helperUsers.id });
  const id = row?.id as string;
  await audit(tx, actor, "helper.invited", helperSubject(id), { organisationId: organisation.id, role });
  await sendInvitation(tx, id, { ...invitee, email: normaliseEmail(invitee.email) }, organisation.name, now);
  return id;
}

/** The back office registers an NGO; its coordinator is invited by email in the same transaction. */
export async function registerOrganisation(
  input: { name: string; city: string; coordinator: Invitee },
  actor: Actor,
  now = new Date(),
): Promise<string> {
  try {
    return await db().transaction(async (tx) => {
      const [row] = await tx
        .insert(organisations)
        .values({ name: input.name, city: input.city })
        .returning({ id: organisations.id });
      const organisation = { id: row?.id as string, name: input.name };
      await audit(tx, actor, "organisation.registered", { type: "organisation", id: organisation.id });
      await createInvited(tx, organisation, "coordinator", input.coordinator, actor, now);
      return organisation.id;
    });
  } catch (error) {
    throw duplicateError(error) ?? error;
  }
}

/**
 * A coordinator invites a helper into their own organisation. Inviting again someone who has not
 * accepted yet (the link expired or was lost) sends a new link and voids the old one.
 */
export async function inviteHelper(
  organisationId: string,
  invitee: Invitee,
  actor: Actor,
  now = new Date(),
): Promise<string> {
  try {
    return await db().transaction(async (tx) => {
      const [organisation] = await tx
        .select({ id: organisations.id, name: organisations.name })
        .from(organisations)
        .where(eq(organisations.id, organisationId));
      if (!organisation) throw new Error(`No organisation ${organisationId}`);
      const [existing] = await tx
        .select()
        .from(helperUsers)
        .where(eq(helperUsers.email, normaliseEmail(invitee.email)))
        .for("update");
      if (!existing) return createInvited(tx, organisation, "helper", invitee, actor, now);
      if (existing.organisationId !== organisationId || existing.passwordHash || existing.suspendedAt)
        throw new DuplicateHelperEmailError();
      await tx
        .update(helperUsers)
        .set({ name: invitee.name, lang: invitee.lang })
        .where(eq(helperUsers.id, existing.id));
      await audit(tx, actor, "helper.reinvited", helperSubject(existing.id));
      await sendInvitation(tx, existing.id, { ...invitee, email: existing.email }, organisation.name, now);
      return existing.id;
    });
  } catch (error) {
    throw duplicateError(error) ?? error;
  }
}

/** Who an invitation link is for, while it can still be used; null otherwise. */
export async function invitation(token: string, now = new Date()) {
  const [row] = await db()
    .select({ name: helperUsers.name, email: helperUsers.email, organisation: organisations.name })
    .from(helperUsers)
    .innerJoin(organisations, eq(organisations.id, helperUsers.organisationId))
    .where(
      and(
        eq(helperUsers.inviteTokenHash, tokenHash(token)),
        gt(helperUsers.inviteExpiresAt, now),
        isNull(helperUsers.suspendedAt),
      ),
    );
  return row ?? null;
}

/**
 * The invited person sets their password. The link works once: the same statement that sets the
 * password clears the token, so two tabs racing cannot both use it. Returns the account's id.
 */
export async function acceptInvite(
  token: string,
  password: string,
  actor: Actor,
  now = new Date(),
): Promise<string | null> {
  const passwordHash = await hashPassword(password);
  return db().transaction(async (tx) => {
    const [row] = await tx
      .update(helperUsers)
      .set({ passwordHash, inviteTokenHash: null, inviteExpiresAt: null })
      .where(
        and(
          eq(helperUsers.inviteTokenHash, tokenHash(token)),
          gt(helperUsers.inviteExpiresAt, now),
          isNull(helperUsers.suspendedAt),
        ),
      )
      .returning({ id: helperUsers.id });
    if (!row) return null;
    await audit(tx, { ...actor, id: row.id }, "helper.invite_accepted", helperSubject(row.id));
    return row.id;
  });
}

/** What the authenticator set-up needs: the label (email), and whether it is already done. */
export async function totpSetUpState(helperId: string) {
  const [row] = await db()
    .select({ email: helperUsers.email, totpSecretEnc: helperUsers.totpSecretEnc })
    .from(helperUsers)
    .where(eq(helperUsers.id, helperId));
  return row ? { email: row.email, done: Boolean(row.totpSecretEnc) } : null;
}

export type TeamChange = "done" | "notFound" | "self";

/**
 * Suspends or reinstates a member of the coordinator's own organisation. Another organisation's
 * helper is "not found", like one that does not exist; nobody suspends themself.
 */
async function changeAccess(
  coordinator: { id: string; organisationId: string },
  helperId: string,
  suspend: boolean,
  actor: Actor,
): Promise<TeamChange> {
  if (helperId === coordinator.id) return "self";
  if (!isUuid(helperId)) return "notFound";
  return db().transaction(async (tx) => {
    const [member] = await tx
      .select({ id: helperUsers.id, suspendedAt: helperUsers.suspendedAt })
      .from(helperUsers)
      .where(and(eq(helperUsers.id, helperId), eq(helperUsers.organisationId, coordinator.organisationId)))
      .for("update");
    if (!member) return "notFound";
    if (Boolean(member.suspendedAt) === suspend) return "done";
    if (suspend) {
      // Access ends at once: every session of the account, signed in or half-way, is void.
      await tx
        .update(helperUsers)
        .set({ suspendedAt: sql`now()`, sessionsValidAfter: sql`now()` })
        .where(eq(helperUsers.id, member.id));
      await tx
        .delete(sessions)
        .where(inArray(sessions.subject, [`helper:${member.id}`, `helper-pending:${member.id}`]));
    } else {
      await tx.update(helperUsers).set({ suspendedAt: null }).where(eq(helperUsers.id, member.id));
    }
    await audit(tx, actor, suspend ? "helper.suspended" : "helper.reinstated", helperSubject(member.id));
    return "done";
  });
}

export const suspendHelper = (
  coordinator: { id: string; organisationId: string },
  helperId: string,
  actor: Actor,
) => changeAccess(coordinator, helperId, true, actor);

export const reinstateHelper = (
  coordinator: { id: string; organisationId: string },
  helperId: string,
  actor: Actor,
) => changeAccess(coordinator, helperId, false, actor);

export type MemberState = "invited" | "active" | "awaitingMfa" | "locked" | "suspended";

export interface TeamMember {
  id: string;
  name: string;
  email: string;
  role: "helper" | "coordinator";
  state: MemberState;
}

/** The organisation's members for its coordinator (no secrets leave this function). */
export async function listTeam(organisationId: string, now = new Date()): Promise<TeamMember[]> {
  const rows = await db()
    .select()
    .from(helperUsers)
    .where(eq(helperUsers.organisationId, organisationId))
    .orderBy(helperUsers.name, helperUsers.email);
  return rows.map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    state: u.suspendedAt
      ? "suspended"
      : !u.passwordHash
        ? "invited"
        : u.lockedUntil && u.lockedUntil > now
          ? "locked"
          : u.totpSecretEnc
            ? "active"
            : "awaitingMfa",
  }));
}

/** Every organisation, for the back office: where it is, its size and who coordinates it. */
export async function listOrganisations() {
  return db()
    .select({
      id: organisations.id,
      name: organisations.name,
      city: organisations.city,
      helpers: sql<number>`count(${helperUsers.id})::int`,
      coordinators: sql<string[]>`coalesce(array_agg(${helperUsers.name} order by ${helperUsers.name})
        filter (where ${helperUsers.role} = 'coordinator'), '{}')`,
    })
    .from(organisations)
    .leftJoin(helperUsers, eq(helperUsers.organisationId, organisations.id))
    .groupBy(organisations.id)
    .orderBy(organisations.name);
}
