import { and, asc, eq, isNull, sql } from "drizzle-orm";
import {
  appointments,
  centres,
  eois,
  matches,
  presenceChecks,
  slots,
  statusHistory,
} from "../../../db/schema";
import { blindIndex, encryptJson, randomToken, safeEqual } from "../../.server/crypto.server";
import { db, reusable } from "../../.server/db.server";
import { type Actor, audit } from "../audit/audit.server";
import { issueCode, verifyCode } from "../auth/otp.service.server";
import { answersOf, PRESENCE_LINK_HOURS } from "../eoi/eoi.pages";
import { type EoiDocument, loadEoi, openWindow, readEoi } from "../eoi/eoi.service.server";
import { parseReference } from "../eoi/reference";
import { type Contact, enqueue } from "../notifications/outbox.server";
import { changeStatus } from "./status.service.server";

/**
 * The applicant's account after submission: sign in with reference + date of birth + a code sent
 * to the contact details on file; the timeline; withdrawing; changing contact details.
 */

async function submittedByReference(reference: string) {
  const canonical = parseReference(reference);
  if (!canonical) return null;
  const [row] = await db()
    .select({ id: eois.id, status: eois.status })
    .from(eois)
    .where(eq(eois.reference, canonical));
  if (!row || row.status === "draft") return null;
  return loadEoi(row.id);
}

/**
 * Step one of signing in. Sends a code only when the reference exists and the date of birth
 * matches, but the caller answers the same either way, so nobody can learn which references exist.
 */
export async function requestSignInCode(reference: string, dateOfBirth: string, lang: string): Promise<void> {
  const eoi = await submittedByReference(reference);
  const onFile = eoi ? (answersOf(eoi.answers, "date-of-birth")?.dateOfBirth ?? "") : "";
  if (eoi && safeEqual(onFile, dateOfBirth))
    await issueCode("status_sign_in", eoi.contact, lang, { eoiId: eoi.id });
}

/** Step two: the code. Returns the EOI id to sign in to, or null (wrong, expired, unknown). */
export async function verifySignInCode(reference: string, code: string): Promise<string | null> {
  const eoi = await submittedByReference(reference);
  if (!eoi) return null;
  const verified = await verifyCode("status_sign_in", eoi.contact, code);
  return verified?.eoiId === eoi.id ? eoi.id : null;
}

export interface TimelineEntry {
  status: string;
  at: string;
  reasonCode: string | null;
}

export interface Account {
  id: string;
  reference: string;
  status: string;
  lang: string;
  contact: Contact;
  timeline: TimelineEntry[];
  canWithdraw: boolean;
  canAskNewPresenceLink: boolean;
  /** When selected for stage two: the end of the period to book biometrics (Part A §8). */
  bookingDeadline: string | null;
  /** The biometric appointment the applicant holds now (issue 6), if any. */
  appointment: ActiveAppointment | null;
  /** Once a place is confirmed: the travel date the Home Office directed (YYYY-MM-DD), if set. */
  travelDate: string | null;
}

export interface ActiveAppointment {
  id: string;
  slotId: string;
  centreId: string;
  centreCode: string;
  centreName: string;
  address: string;
  city: string;
  startsAt: string;
  endsAt: string;
}

/** The applicant's active (booked) appointment with its slot and centre, or null. */
export async function activeAppointment(eoiId: string): Promise<ActiveAppointment | null> {
  const [row] = await db()
    .select({
      id: appointments.id,
      slotId: appointments.slotId,
      centreId: centres.id,
      centreCode: centres.code,
      centreName: centres.name,
      address: centres.address,
      city: centres.city,
      startsAt: slots.startsAt,
      endsAt: slots.endsAt,
    })
    .from(appointments)
    .innerJoin(slots, eq(slots.id, appointments.slotId))
    .innerJoin(centres, eq(centres.id, slots.centreId))
    .where(and(eq(appointments.eoiId, eoiId), eq(appointments.status, "booked")));
  return row ? { ...row, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString() } : null;
}

const withdrawable = new Set([
  "submitted",
  "location_verified",
  "location_unverified",
  "under_review",
  "selected",
  "appointment_booked",
  "biometrics_enrolled",
  "approved",
  "matched",
]);

/** What the applicant sees: current status and every state passed through, oldest first. */
export async function loadAccount(eoiId: string): Promise<Account | null> {
  // Read together: the status page is the most asked-for page (issue 9).
  const [eoi, history] = await Promise.all([loadEoi(eoiId), historyOf(db(), { eoiId })]);
  if (!eoi || eoi.status === "draft") return null;
  return {
    id: eoi.id,
    reference: eoi.reference as string,
    status: eoi.status,
    lang: eoi.lang,
    contact: eoi.contact,
    // The draft is where every application starts, before the first recorded change.
    timeline: [
      { status: "draft", at: eoi.createdAt.toISOString(), reasonCode: null },
      ...history.map((h) => ({ status: h.to, at: h.at.toISOString(), reasonCode: h.reasonCode })),
    ],
    canWithdraw: withdrawable.has(eoi.status),
    // One new link, once, within an open window (domain.md Part A §3).
    canAskNewPresenceLink:
      eoi.status === "location_unverified" && (await presenceLinksOf(eoiId)) < 2 && !!(await openWindow()),
    bookingDeadline: eoi.bookingDeadline?.toISOString() ?? null,
    appointment: eoi.status === "appointment_booked" ? await activeAppointment(eoiId) : null,
    travelDate: eoi.status === "matched" ? await travelDateOf(eoiId) : null,
  };
}

const historyOf = reusable((executor) =>
  executor
    .select({ to: statusHistory.toStatus, at: statusHistory.at, reasonCode: statusHistory.reasonCode })
    .from(statusHistory)
    .where(eq(statusHistory.eoiId, sql.placeholder("eoiId")))
    .orderBy(asc(statusHistory.at)),
);

/** How many presence links the applicant was sent (the first, and at most one more). */
async function presenceLinksOf(eoiId: string): Promise<number> {
  const links = await db()
    .select({ id: presenceChecks.id })
    .from(presenceChecks)
    .where(eq(presenceChecks.eoiId, eoiId));
  return links.length;
}

/** The travel date of the applicant's active match (issue 7), if one was recorded. */
async function travelDateOf(eoiId: string): Promise<string | null> {
  const [match] = await db()
    .select({ travelDate: matches.travelDate })
    .from(matches)
    .where(and(eq(matches.eoiId, eoiId), isNull(matches.unmatchedAt)));
  return match?.travelDate ?? null;
}

/** Withdrawal by the applicant (or their helper), with an optional reason kept in the audit log. */
export async function withdraw(eoiId: string, reason: string | undefined, actor: Actor): Promise<void> {
  await db().transaction(async (tx) => {
    await changeStatus(tx, eoiId, "withdrawn", actor, { reasonCode: "applicant_request" });
    if (reason) await audit(tx, actor, "eoi.withdrawal_reason", { type: "eoi", id: eoiId }, { reason });
  });
}

/**
 * New contact details take effect only once a code sent to them is entered; the old details are
 * told of the change, so a hijacked account does not go unnoticed.
 */
export async function requestContactChange(eoiId: string, contact: Contact, lang: string): Promise<void> {
  await issueCode("verify_contact", contact, lang, { eoiId });
}

export async function confirmContactChange(
  eoiId: string,
  contact: Contact,
  code: string,
  actor: Actor,
): Promise<boolean> {
  const verified = await verifyCode("verify_contact", contact, code);
  if (verified?.eoiId !== eoiId) return false;
  await db().transaction(async (tx) => {
    const eoi = await readEoi(tx, eoiId, true);
    if (!eoi) throw new Error("EOI not found");
    const previous = eoi.contact;
    await tx
      .update(eois)
      .set({
        answersEnc: encryptJson({ contact, answers: eoi.answers } satisfies EoiDocument),
        emailHash: contact.email ? blindIndex("email", contact.email) : null,
        mobileHash: contact.mobile ? blindIndex("mobile", contact.mobile) : null,
        contactVerifiedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(eois.id, eoiId));
    await audit(tx, actor, "eoi.contact_changed", { type: "eoi", id: eoiId });
    await enqueue(tx, {
      dedupeKey: `contact-changed:${eoiId}:${Date.now()}`,
      contact: previous,
      template: "contactChanged",
      lang: eoi.lang,
      params: { reference: eoi.reference ?? "" },
      eoiId,
    });
  });
  return true;
}

/** The one extra presence link an applicant may ask for, by email and SMS. */
export async function sendNewPresenceLink(eoiId: string, actor: Actor): Promise<boolean> {
  const account = await loadAccount(eoiId);
  if (!account?.canAskNewPresenceLink) return false;
  const token = randomToken();
  await db().transaction(async (tx) => {
    const [check] = await tx
      .insert(presenceChecks)
      .values({
        eoiId,
        tokenHash: blindIndex("presence", token),
        expiresAt: new Date(Date.now() + PRESENCE_LINK_HOURS * 3600_000),
      })
      .returning({ id: presenceChecks.id });
    await enqueue(tx, {
      dedupeKey: `presence:${check?.id}`,
      contact: account.contact,
      template: "presence",
      lang: account.lang,
      params: { path: `/${account.lang}/presence/${token}`, hours: String(PRESENCE_LINK_HOURS) },
      eoiId,
    });
    await audit(tx, actor, "presence.new_link", { type: "eoi", id: eoiId });
  });
  return true;
}
