import { and, desc, eq, inArray, isNotNull, isNull, max } from "drizzle-orm";
import {
  appointments,
  type EoiStatus,
  eois,
  helperConsents,
  helperUsers,
  presenceChecks,
  slots,
} from "../../../db/schema";
import { decrypt } from "../../.server/crypto.server";
import { db } from "../../.server/db.server";
import { type Actor, audit } from "../audit/audit.server";
import { isUuid } from "../cases/cases.rules";
import { byDeadline, type NextStep, nextStep } from "./cases.rules";

/**
 * An organisation's cases: every EOI whose applicant's consent it holds now. Nothing here ever
 * reaches a case without that consent, so a revoked case drops out of every list at once.
 */

export interface CaseRow {
  eoiId: string;
  /** Null while the application is a draft. */
  reference: string | null;
  applicantName: string;
  status: EoiStatus;
  assignedHelper: { id: string; name: string };
  /** When the applicant gave consent. */
  since: Date;
  presenceLinkExpiresAt: Date | null;
  bookingDeadline: Date | null;
  appointmentAt: Date | null;
  next: NextStep;
}

const inForce = (organisationId: string) =>
  and(eq(helperConsents.organisationId, organisationId), isNull(helperConsents.revokedAt));

async function casesOf(organisationId: string, eoiId?: string, now = new Date()): Promise<CaseRow[]> {
  const rows = await db()
    .select({
      eoiId: eois.id,
      reference: eois.reference,
      status: eois.status,
      bookingDeadline: eois.bookingDeadline,
      nameEnc: helperConsents.applicantNameEnc,
      since: helperConsents.givenAt,
      helperId: helperUsers.id,
      helperName: helperUsers.name,
    })
    .from(helperConsents)
    .innerJoin(eois, eq(eois.id, helperConsents.eoiId))
    .innerJoin(helperUsers, eq(helperUsers.id, helperConsents.assignedHelperId))
    .where(and(inForce(organisationId), eoiId ? eq(helperConsents.eoiId, eoiId) : undefined))
    .orderBy(desc(helperConsents.givenAt));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.eoiId);
  const links = await db()
    .select({ eoiId: presenceChecks.eoiId, expiresAt: max(presenceChecks.expiresAt) })
    .from(presenceChecks)
    .where(and(inArray(presenceChecks.eoiId, ids), isNull(presenceChecks.completedAt)))
    .groupBy(presenceChecks.eoiId);
  const booked = await db()
    .select({ eoiId: appointments.eoiId, startsAt: slots.startsAt })
    .from(appointments)
    .innerJoin(slots, eq(slots.id, appointments.slotId))
    .where(and(inArray(appointments.eoiId, ids), eq(appointments.status, "booked")));
  const linkOf = new Map(links.map((l) => [l.eoiId, l.expiresAt]));
  const appointmentOf = new Map(booked.map((b) => [b.eoiId, b.startsAt]));
  return rows
    .map((r) => {
      const facts = {
        status: r.status,
        presenceLinkExpiresAt: linkOf.get(r.eoiId) ?? null,
        bookingDeadline: r.status === "selected" ? r.bookingDeadline : null,
        appointmentAt: appointmentOf.get(r.eoiId) ?? null,
      };
      return {
        eoiId: r.eoiId,
        reference: r.reference,
        applicantName: decrypt(r.nameEnc),
        assignedHelper: { id: r.helperId, name: r.helperName },
        since: r.since,
        ...facts,
        next: nextStep(facts, now),
      };
    })
    .sort(byDeadline);
}

/** The organisation's cases, soonest deadline first. */
export const caseload = (organisationId: string, now = new Date()) => casesOf(organisationId, undefined, now);

export interface CaseSummary extends CaseRow {
  consent: { givenAt: Date; method: string; lang: string; recordedBy: string };
}

/** One case of the organisation with how consent was given, or null (not theirs, or revoked). */
export async function caseSummary(
  organisationId: string,
  eoiId: string,
  now = new Date(),
): Promise<CaseSummary | null> {
  if (!isUuid(eoiId)) return null;
  const [row] = await casesOf(organisationId, eoiId, now);
  const [consent] = await db()
    .select({
      givenAt: helperConsents.givenAt,
      method: helperConsents.method,
      lang: helperConsents.lang,
      recordedBy: helperUsers.name,
    })
    .from(helperConsents)
    .innerJoin(helperUsers, eq(helperUsers.id, helperConsents.recordedBy))
    .where(and(inForce(organisationId), eq(helperConsents.eoiId, eoiId)));
  return row && consent ? { ...row, consent } : null;
}

/** Who is acting for whom, for the helper's bar: the applicant's name and reference, or null. */
export async function caseLabel(organisationId: string, eoiId: string) {
  if (!isUuid(eoiId)) return null;
  const [row] = await db()
    .select({ nameEnc: helperConsents.applicantNameEnc, reference: eois.reference })
    .from(helperConsents)
    .innerJoin(eois, eq(eois.id, helperConsents.eoiId))
    .where(and(inForce(organisationId), eq(helperConsents.eoiId, eoiId)));
  return row ? { applicantName: decrypt(row.nameEnc), reference: row.reference } : null;
}

/** Helpers of the organisation who can take a case: invitation accepted, not suspended. */
const active = (organisationId: string) =>
  and(
    eq(helperUsers.organisationId, organisationId),
    isNull(helperUsers.suspendedAt),
    isNotNull(helperUsers.passwordHash),
  );

export const activeColleagues = (organisationId: string) =>
  db()
    .select({ id: helperUsers.id, name: helperUsers.name })
    .from(helperUsers)
    .where(active(organisationId))
    .orderBy(helperUsers.name);

/**
 * Gives the lead of a case to another active helper of the same organisation (the database's
 * composite key refuses any other organisation too). False when refused: no consent in force,
 * not an active colleague, or already the lead.
 */
export async function handOver(
  organisationId: string,
  eoiId: string,
  toHelperId: string,
  actor: Actor,
): Promise<boolean> {
  if (!isUuid(eoiId) || !isUuid(toHelperId)) return false;
  return db().transaction(async (tx) => {
    const [to] = await tx
      .select({ id: helperUsers.id })
      .from(helperUsers)
      .where(and(eq(helperUsers.id, toHelperId), active(organisationId)));
    const [consent] = await tx
      .select({ id: helperConsents.id, from: helperConsents.assignedHelperId })
      .from(helperConsents)
      .where(and(inForce(organisationId), eq(helperConsents.eoiId, eoiId)))
      .for("update");
    if (!to || !consent || consent.from === to.id) return false;
    await tx.update(helperConsents).set({ assignedHelperId: to.id }).where(eq(helperConsents.id, consent.id));
    await audit(
      tx,
      actor,
      "helper.case_handed_over",
      { type: "eoi", id: eoiId },
      { from: consent.from, to: to.id },
    );
    return true;
  });
}

/** A helper opened a case's application, status or booking pages: who, for whom, which pages. */
export async function recordCaseOpened(eoiId: string, pages: string, actor: Actor): Promise<void> {
  await audit(db(), actor, "helper.case_opened", { type: "eoi", id: eoiId }, { pages });
}
