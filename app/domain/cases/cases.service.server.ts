import { and, asc, desc, eq, inArray, ne, or, sql } from "drizzle-orm";
import {
  applicationWindows,
  caseClaims,
  caseNotes,
  eoiFlags,
  eois,
  familyGroups,
  returnCases,
  staffUsers,
  statusHistory,
  uploads,
} from "../../../db/schema";
import { decrypt, decryptJson, encrypt } from "../../.server/crypto.server";
import { db, type Executor } from "../../.server/db.server";
import { formatDate } from "../../i18n/format";
import { type Actor, audit } from "../audit/audit.server";
import { type AllAnswers, answersOf } from "../eoi/eoi.pages";
import type { EoiDocument } from "../eoi/eoi.service.server";
import { readUpload } from "../eoi/upload.service.server";
import { matchPriority } from "../matching/priority";
import type { Contact } from "../notifications/outbox.server";
import type { EoiStatus } from "../status/status.rules";
import { changeStatus } from "../status/status.service.server";
import type { DecisionInput } from "./cases.pages";
import {
  allowedDecisions,
  BOOKING_DAYS,
  bookingDaysValid,
  bookingDeadline,
  canDecide,
  claimExpiry,
  claimState,
  type Decision,
  decidedTogether,
  decisionPath,
  familyBlockers,
  isReasonFor,
  isUuid,
  openForFamilyDecision,
  presenceConfirmed,
} from "./cases.rules";

/**
 * The caseworker's use-cases (issue 5): read a case (audited), claim and release it, add notes,
 * and record decisions. Each write is one transaction with its audit row; deciding and noting
 * need a live claim, checked under a row lock in that transaction. Status changes go through
 * changeStatus, the only writer of the history, which also audits and notifies the applicant.
 */

export class CaseNotFoundError extends Error {}

/** The caseworker does not hold a live claim on the case (`heldBy`: who does, if anyone). */
export class ClaimRequiredError extends Error {
  constructor(readonly heldBy: string | null) {
    super(heldBy ? `The case is claimed by ${heldBy}` : "Claim the case first");
  }
}

export class DecisionNotAllowedError extends Error {}

/** A family decision is refused because these members cannot take it yet (references). */
export class FamilyNotReadyError extends Error {
  constructor(readonly references: string[]) {
    super(`Family members not ready: ${references.join(", ")}`);
  }
}

/** A family decision is refused because another caseworker is working on a member's case. */
export class FamilyMemberClaimedError extends Error {
  constructor(
    readonly reference: string,
    readonly heldBy: string,
  ) {
    super(`Family member ${reference} is claimed by ${heldBy}`);
  }
}

const caseSubject = (id: string) => ({ type: "eoi", id });

function staffIdOf(actor: Actor): string {
  if (actor.type !== "staff" || !actor.id) throw new Error("Only staff work on cases");
  return actor.id;
}

const nameOf = (answers: AllAnswers) => {
  const names = answersOf(answers, "names");
  return [names?.givenNames, names?.familyName].filter(Boolean).join(" ");
};

/** Which of these applications have ever had their presence in France confirmed. */
async function presenceOf(tx: Executor, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await tx
    .selectDistinct({ eoiId: statusHistory.eoiId })
    .from(statusHistory)
    .where(and(inArray(statusHistory.eoiId, ids), eq(statusHistory.toStatus, "location_verified")));
  return new Set(rows.map((r) => r.eoiId));
}

/** The live claim holder's check: locks the claim row, refuses anyone else, and renews it. */
async function holdClaim(tx: Executor, eoiId: string, staffId: string, now: Date): Promise<void> {
  const [claim] = await tx
    .select({ staffId: caseClaims.staffId, expiresAt: caseClaims.expiresAt, name: staffUsers.name })
    .from(caseClaims)
    .innerJoin(staffUsers, eq(staffUsers.id, caseClaims.staffId))
    .where(eq(caseClaims.eoiId, eoiId))
    .for("update", { of: caseClaims });
  const state = claimState(claim, staffId, now);
  if (state !== "mine") throw new ClaimRequiredError(state === "other" ? (claim?.name ?? null) : null);
  await tx
    .update(caseClaims)
    .set({ expiresAt: claimExpiry(now) })
    .where(eq(caseClaims.eoiId, eoiId));
}

async function submittedCase(tx: Executor, eoiId: string) {
  if (!isUuid(eoiId)) throw new CaseNotFoundError();
  const [row] = await tx.select().from(eois).where(eq(eois.id, eoiId));
  if (!row || row.status === "draft") throw new CaseNotFoundError();
  return row;
}

// ---------------------------------------------------------------------------------------------
// Claims

export type ClaimResult =
  | { ok: true; expiresAt: Date; tookOverFrom?: string }
  | { ok: false; heldBy: string; expiresAt: Date };

/**
 * Claims a case for 30 minutes, atomically: one upsert that takes the row only if it is free,
 * expired, or already ours (renewal). A live claim by someone else is refused, naming its holder.
 */
export async function claimCase(eoiId: string, actor: Actor, now = new Date()): Promise<ClaimResult> {
  const staffId = staffIdOf(actor);
  return db().transaction(async (tx) => {
    await submittedCase(tx, eoiId);
    const [before] = await tx
      .select({ staffId: caseClaims.staffId })
      .from(caseClaims)
      .where(eq(caseClaims.eoiId, eoiId));
    const expiresAt = claimExpiry(now);
    const [row] = await tx
      .insert(caseClaims)
      .values({ eoiId, staffId, claimedAt: now, expiresAt })
      .onConflictDoUpdate({
        target: caseClaims.eoiId,
        set: {
          staffId: sql`excluded.staff_id`,
          claimedAt: sql`case when ${caseClaims.staffId} = excluded.staff_id then ${caseClaims.claimedAt} else excluded.claimed_at end`,
          expiresAt: sql`excluded.expires_at`,
        },
        setWhere: sql`${caseClaims.expiresAt} <= ${now.toISOString()}::timestamptz or ${caseClaims.staffId} = excluded.staff_id`,
      })
      .returning({ staffId: caseClaims.staffId });
    if (!row) {
      const [holder] = await tx
        .select({ name: staffUsers.name, expiresAt: caseClaims.expiresAt })
        .from(caseClaims)
        .innerJoin(staffUsers, eq(staffUsers.id, caseClaims.staffId))
        .where(eq(caseClaims.eoiId, eoiId));
      return { ok: false, heldBy: holder?.name ?? "", expiresAt: holder?.expiresAt ?? now };
    }
    const tookOverFrom = before && before.staffId !== staffId ? before.staffId : undefined;
    await audit(tx, actor, "case.claimed", caseSubject(eoiId), {
      expiresAt: expiresAt.toISOString(),
      ...(before?.staffId === staffId ? { renewed: true } : {}),
      ...(tookOverFrom ? { tookOverFrom } : {}),
    });
    return { ok: true, expiresAt, ...(tookOverFrom ? { tookOverFrom } : {}) };
  });
}

/** Gives a case back to the queue. Only its holder can; returns false when there was nothing to release. */
export async function releaseCase(eoiId: string, actor: Actor): Promise<boolean> {
  const staffId = staffIdOf(actor);
  if (!isUuid(eoiId)) throw new CaseNotFoundError();
  return db().transaction(async (tx) => {
    const released = await tx
      .delete(caseClaims)
      .where(and(eq(caseClaims.eoiId, eoiId), eq(caseClaims.staffId, staffId)))
      .returning({ eoiId: caseClaims.eoiId });
    if (!released.length) return false;
    await audit(tx, actor, "case.released", caseSubject(eoiId));
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Notes

/** A caseworker's note, encrypted, never shown to applicants or helpers. Needs the claim. */
export async function addNote(eoiId: string, body: string, actor: Actor, now = new Date()): Promise<string> {
  const staffId = staffIdOf(actor);
  return db().transaction(async (tx) => {
    await submittedCase(tx, eoiId);
    await holdClaim(tx, eoiId, staffId, now);
    const [note] = await tx
      .insert(caseNotes)
      .values({ eoiId, staffId, bodyEnc: encrypt(body), createdAt: now })
      .returning({ id: caseNotes.id });
    const id = note?.id as string;
    // The audit row says a note was written, not what it says (the note is personal data).
    await audit(tx, actor, "case.note_added", caseSubject(eoiId), { noteId: id });
    return id;
  });
}

// ---------------------------------------------------------------------------------------------
// Reading a case

export interface ClaimView {
  staffName: string;
  expiresAt: string;
  mine: boolean;
}

export interface FlagView {
  id: string;
  kind: "possible_duplicate" | "previously_returned" | "location_unverified";
  match: string | null;
  resolved: boolean;
  evidence:
    | {
        type: "eoi";
        id: string;
        reference: string | null;
        name: string;
        dateOfBirth: string | null;
        nationality: string | null;
        status: EoiStatus;
        submittedAt: string | null;
      }
    | {
        type: "return_case";
        id: string;
        personRef: string;
        name: string;
        dateOfBirth: string | null;
        nationality: string;
        stage: string;
        smallBoatArrivalAt: string;
        transferredAt: string | null;
      }
    | null;
}

export interface FamilyMemberView {
  id: string;
  reference: string | null;
  name: string;
  role: "alone" | "main" | "member" | null;
  relationshipToMain: string | null;
  status: EoiStatus;
  presenceConfirmed: boolean;
  children: number;
  isThisCase: boolean;
}

export interface HistoryView {
  from: EoiStatus | null;
  to: EoiStatus;
  reasonCode: string | null;
  actorType: string;
  actorName: string | null;
  at: string;
}

export interface CaseView {
  id: string;
  reference: string;
  name: string;
  status: EoiStatus;
  lang: string;
  submittedAt: string;
  windowName: string | null;
  familyRole: string | null;
  presenceConfirmed: boolean;
  bookingDeadline: string | null;
  contact: Contact;
  answers: AllAnswers;
  claim: ClaimView | null;
  decisions: Decision[];
  uploads: {
    id: string;
    kind: string;
    contentType: string;
    sizeBytes: number;
    createdAt: string;
    replaced: boolean;
  }[];
  flags: FlagView[];
  family: { reference: string; members: FamilyMemberView[] } | null;
  history: HistoryView[];
  notes: { id: string; author: string; body: string; at: string }[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

async function liveClaim(tx: Executor, eoiId: string, staffId: string, now: Date): Promise<ClaimView | null> {
  const [claim] = await tx
    .select({ staffId: caseClaims.staffId, expiresAt: caseClaims.expiresAt, name: staffUsers.name })
    .from(caseClaims)
    .innerJoin(staffUsers, eq(staffUsers.id, caseClaims.staffId))
    .where(eq(caseClaims.eoiId, eoiId));
  const state = claimState(claim, staffId, now);
  if (!claim || state === "none") return null;
  return { staffName: claim.name, expiresAt: claim.expiresAt.toISOString(), mine: state === "mine" };
}

async function familyOf(
  tx: Executor,
  eoiId: string,
  familyGroupId: string | null,
): Promise<CaseView["family"]> {
  if (!familyGroupId) return null;
  const [group] = await tx
    .select({ reference: familyGroups.familyReference })
    .from(familyGroups)
    .where(eq(familyGroups.id, familyGroupId));
  const rows = await tx
    .select({
      id: eois.id,
      reference: eois.reference,
      status: eois.status,
      role: eois.familyRole,
      answersEnc: eois.answersEnc,
    })
    .from(eois)
    .where(and(eq(eois.familyGroupId, familyGroupId), ne(eois.status, "draft")))
    .orderBy(asc(eois.submittedAt), asc(eois.id));
  const present = await presenceOf(
    tx,
    rows.map((r) => r.id),
  );
  const members = rows.map((r) => {
    const { answers } = decryptJson<EoiDocument>(r.answersEnc);
    return {
      id: r.id,
      reference: r.reference,
      name: nameOf(answers),
      role: r.role,
      relationshipToMain: answersOf(answers, "family-reference")?.relationshipToMain ?? null,
      status: r.status,
      presenceConfirmed: present.has(r.id),
      children: answers.children?.length ?? 0,
      isThisCase: r.id === eoiId,
    };
  });
  // The main applicant first, then the others in the order they applied.
  members.sort((a, b) => Number(b.role === "main") - Number(a.role === "main"));
  return { reference: group?.reference ?? "", members };
}

async function flagsOf(tx: Executor, eoiId: string): Promise<FlagView[]> {
  const rows = await tx
    .select()
    .from(eoiFlags)
    .where(eq(eoiFlags.eoiId, eoiId))
    .orderBy(asc(eoiFlags.createdAt));
  const eoiIds = rows
    .filter((f) => f.evidenceType === "eoi" && f.evidenceId)
    .map((f) => f.evidenceId as string);
  const returnIds = rows
    .filter((f) => f.evidenceType === "return_case" && f.evidenceId)
    .map((f) => f.evidenceId as string);
  const others = eoiIds.length ? await tx.select().from(eois).where(inArray(eois.id, eoiIds)) : [];
  const returns = returnIds.length
    ? await tx.select().from(returnCases).where(inArray(returnCases.id, returnIds))
    : [];
  return rows.map((flag) => {
    const other = others.find((e) => e.id === flag.evidenceId);
    const returned = returns.find((r) => r.id === flag.evidenceId);
    let evidence: FlagView["evidence"] = null;
    if (flag.evidenceType === "eoi" && other) {
      const { answers } = decryptJson<EoiDocument>(other.answersEnc);
      evidence = {
        type: "eoi",
        id: other.id,
        reference: other.reference,
        name: nameOf(answers),
        dateOfBirth: answersOf(answers, "date-of-birth")?.dateOfBirth ?? null,
        nationality: other.nationality,
        status: other.status,
        submittedAt: iso(other.submittedAt),
      };
    } else if (flag.evidenceType === "return_case" && returned) {
      // The register's identity record: written by matching officers or the seed, in either shape.
      const person = decryptJson<{
        fullName?: string;
        givenNames?: string;
        familyName?: string;
        dateOfBirth?: string;
      }>(returned.identityEnc);
      evidence = {
        type: "return_case",
        id: returned.id,
        personRef: returned.personRef,
        name: person.fullName ?? [person.givenNames, person.familyName].filter(Boolean).join(" "),
        dateOfBirth: person.dateOfBirth ?? null,
        nationality: returned.nationality,
        stage: returned.stage,
        smallBoatArrivalAt: returned.smallBoatArrivalAt.toISOString(),
        transferredAt: iso(returned.transferredAt),
      };
    }
    const match = (flag.details as { match?: unknown }).match;
    return {
      id: flag.id,
      kind: flag.kind,
      match: typeof match === "string" ? match : null,
      resolved: flag.resolved,
      evidence,
    };
  });
}

/**
 * Everything a caseworker needs to decide a case: every answer, the documents, flags with their
 * evidence, the family group, the history and the notes. Reading it is audited ("case.viewed");
 * if the reader holds the claim, it is renewed.
 */
export async function loadCase(eoiId: string, actor: Actor, now = new Date()): Promise<CaseView> {
  const staffId = staffIdOf(actor);
  return db().transaction(async (tx) => {
    const row = await submittedCase(tx, eoiId);
    const doc = decryptJson<EoiDocument>(row.answersEnc);
    const [window] = row.windowId
      ? await tx
          .select({ name: applicationWindows.name })
          .from(applicationWindows)
          .where(eq(applicationWindows.id, row.windowId))
      : [];
    const history = await tx
      .select({
        from: statusHistory.fromStatus,
        to: statusHistory.toStatus,
        reasonCode: statusHistory.reasonCode,
        actorType: statusHistory.actorType,
        actorId: statusHistory.actorId,
        at: statusHistory.at,
      })
      .from(statusHistory)
      .where(eq(statusHistory.eoiId, eoiId))
      .orderBy(asc(statusHistory.at));
    const notes = await tx
      .select({
        id: caseNotes.id,
        bodyEnc: caseNotes.bodyEnc,
        at: caseNotes.createdAt,
        author: staffUsers.name,
      })
      .from(caseNotes)
      .innerJoin(staffUsers, eq(staffUsers.id, caseNotes.staffId))
      .where(eq(caseNotes.eoiId, eoiId))
      .orderBy(desc(caseNotes.createdAt));
    const staffIds = [
      ...new Set(history.filter((h) => h.actorType === "staff" && h.actorId).map((h) => h.actorId as string)),
    ].filter(isUuid);
    const staffNames = new Map(
      staffIds.length
        ? (
            await tx
              .select({ id: staffUsers.id, name: staffUsers.name })
              .from(staffUsers)
              .where(inArray(staffUsers.id, staffIds))
          ).map((s) => [s.id, s.name])
        : [],
    );
    const files = await tx
      .select()
      .from(uploads)
      .where(eq(uploads.eoiId, eoiId))
      .orderBy(asc(uploads.kind), desc(uploads.createdAt));

    const present = presenceConfirmed(history.map((h) => ({ toStatus: h.to })));
    const claimed = await liveClaim(tx, eoiId, staffId, now);
    if (claimed?.mine) {
      const expiresAt = claimExpiry(now);
      await tx.update(caseClaims).set({ expiresAt }).where(eq(caseClaims.eoiId, eoiId));
      claimed.expiresAt = expiresAt.toISOString();
    }
    await audit(tx, actor, "case.viewed", caseSubject(eoiId), { page: "case" });

    return {
      id: row.id,
      reference: row.reference as string,
      name: nameOf(doc.answers),
      status: row.status,
      lang: row.lang,
      submittedAt: (row.submittedAt as Date).toISOString(),
      windowName: window?.name ?? null,
      familyRole: row.familyRole,
      presenceConfirmed: present,
      bookingDeadline: iso(row.bookingDeadline),
      contact: doc.contact,
      answers: doc.answers,
      claim: claimed,
      decisions: allowedDecisions(row.status, { presenceConfirmed: present }),
      uploads: files.map((f) => ({
        id: f.id,
        kind: f.kind,
        contentType: f.contentType,
        sizeBytes: f.sizeBytes,
        createdAt: f.createdAt.toISOString(),
        replaced: f.replacedAt !== null,
      })),
      flags: await flagsOf(tx, eoiId),
      family: await familyOf(tx, eoiId, row.familyGroupId),
      history: history.map((h) => ({
        from: h.from,
        to: h.to,
        reasonCode: h.reasonCode,
        actorType: h.actorType,
        actorName: h.actorId ? (staffNames.get(h.actorId) ?? null) : null,
        at: h.at.toISOString(),
      })),
      notes: notes.map((n) => ({
        id: n.id,
        author: n.author,
        body: decrypt(n.bodyEnc),
        at: n.at.toISOString(),
      })),
    };
  });
}

export interface DecisionView {
  id: string;
  reference: string;
  name: string;
  status: EoiStatus;
  claim: ClaimView | null;
  decisions: Decision[];
  /** Members a family decision (selected, not selected) would also apply to, and who would block it. */
  family: (FamilyMemberView & { open: boolean; blocks: Decision[] })[];
  /** Unresolved "previously returned" flags on this case or an open member (INV-5): a warning. */
  returnFlags: string[];
}

/** What the decision page shows (audited as a view of the case, "decide" page). */
export async function loadDecision(eoiId: string, actor: Actor, now = new Date()): Promise<DecisionView> {
  const staffId = staffIdOf(actor);
  return db().transaction(async (tx) => {
    const row = await submittedCase(tx, eoiId);
    const present = (await presenceOf(tx, [eoiId])).has(eoiId);
    const family = await familyOf(tx, eoiId, row.familyGroupId);
    const others = (family?.members ?? []).filter((m) => !m.isThisCase);
    const open = others.filter((m) => openForFamilyDecision(m.status));
    const flagged = await tx
      .selectDistinct({ eoiId: eoiFlags.eoiId })
      .from(eoiFlags)
      .where(
        and(
          inArray(eoiFlags.eoiId, [eoiId, ...open.map((m) => m.id)]),
          eq(eoiFlags.kind, "previously_returned"),
          eq(eoiFlags.resolved, false),
        ),
      );
    const decisions = allowedDecisions(row.status, { presenceConfirmed: present });
    await audit(tx, actor, "case.viewed", caseSubject(eoiId), { page: "decide" });
    const references = new Map([
      [eoiId, row.reference ?? ""],
      ...others.map((m) => [m.id, m.reference ?? ""] as const),
    ]);
    return {
      id: row.id,
      reference: row.reference as string,
      name: nameOf(decryptJson<EoiDocument>(row.answersEnc).answers),
      status: row.status,
      claim: await liveClaim(tx, eoiId, staffId, now),
      decisions,
      family: others.map((m) => ({
        ...m,
        open: openForFamilyDecision(m.status),
        blocks: decisions.filter((d) => familyBlockers(d, [m]).length > 0),
      })),
      returnFlags: flagged.map((f) => references.get(f.eoiId) ?? ""),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Decisions

/**
 * The matching queue's band of an approved applicant (matching/priority.ts), from their answers
 * and the vulnerability the caseworker recorded; fixed at approval, in the decision's transaction.
 */
async function setMatchPriority(tx: Executor, eoiId: string, vulnerable: boolean): Promise<number> {
  const [row] = await tx.select({ answersEnc: eois.answersEnc }).from(eois).where(eq(eois.id, eoiId));
  const answers = (row ? decryptJson<Partial<EoiDocument>>(row.answersEnc).answers : undefined) ?? {};
  const band = matchPriority(
    {
      ...answersOf(answers, "uk-family"),
      ...answersOf(answers, "lived-in-uk"),
      ...answersOf(answers, "visited-uk"),
    },
    vulnerable,
  );
  await tx.update(eois).set({ matchPriority: band }).where(eq(eois.id, eoiId));
  return band;
}

/**
 * Records a decision with its reason: on this case and, for a selection decision, on every
 * family member still in stage one (Part A §5), all in one transaction or not at all. Needs the
 * caseworker's live claim. An invitation ("selected") sets the booking deadline and tells the
 * applicant the date to book by; an approval sets the applicant's band in the matching queue
 * (`vulnerable` counts only there). Returns the ids decided.
 */
export async function decide(
  eoiId: string,
  input: DecisionInput & { vulnerable?: boolean },
  actor: Actor,
  now = new Date(),
): Promise<string[]> {
  const staffId = staffIdOf(actor);
  const { decision, reason } = input;
  if (!isReasonFor(decision, reason))
    throw new DecisionNotAllowedError(`No reason ${reason} for ${decision}`);
  const days = decision === "selected" ? (input.bookingDays ?? BOOKING_DAYS.default) : null;
  if (days !== null && !bookingDaysValid(days)) throw new DecisionNotAllowedError(`Booking period ${days}`);

  return db().transaction(async (tx) => {
    const me = await submittedCase(tx, eoiId);
    await holdClaim(tx, eoiId, staffId, now);
    // The case and its family, locked in one order (by id) so concurrent family decisions queue.
    const group = await tx
      .select({ id: eois.id, status: eois.status, reference: eois.reference, lang: eois.lang })
      .from(eois)
      .where(
        decidedTogether(decision) && me.familyGroupId
          ? or(eq(eois.id, eoiId), and(eq(eois.familyGroupId, me.familyGroupId), ne(eois.status, "draft")))
          : eq(eois.id, eoiId),
      )
      .orderBy(asc(eois.id))
      .for("update");
    const present = await presenceOf(
      tx,
      group.map((g) => g.id),
    );
    const self = group.find((g) => g.id === eoiId);
    if (!self || !canDecide(self.status, decision, { presenceConfirmed: present.has(eoiId) }))
      throw new DecisionNotAllowedError(`${decision} from ${self?.status}`);

    const members = group
      .filter((g) => g.id !== eoiId)
      .map((g) => ({ ...g, presenceConfirmed: present.has(g.id) }));
    const blockers = familyBlockers(decision, members);
    if (blockers.length) throw new FamilyNotReadyError(blockers.map((b) => b.reference ?? b.id));
    const open = members.filter((m) => openForFamilyDecision(m.status));
    if (open.length) {
      // Read, not locked: a claim taken a moment later finds the member already decided.
      const claims = await tx
        .select({ eoiId: caseClaims.eoiId, staffId: caseClaims.staffId, expiresAt: caseClaims.expiresAt })
        .from(caseClaims)
        .where(
          inArray(
            caseClaims.eoiId,
            open.map((m) => m.id),
          ),
        );
      const taken = claims.find((c) => claimState(c, staffId, now) === "other");
      if (taken) {
        const [holder] = await tx
          .select({ name: staffUsers.name })
          .from(staffUsers)
          .where(eq(staffUsers.id, taken.staffId));
        const member = open.find((m) => m.id === taken.eoiId);
        throw new FamilyMemberClaimedError(member?.reference ?? taken.eoiId, holder?.name ?? "");
      }
    }

    const deadline = days !== null ? bookingDeadline(now, days) : null;
    const targets = [self, ...open];
    for (const target of targets) {
      const path = decisionPath(target.status, decision);
      if (!path) throw new DecisionNotAllowedError(`${decision} from ${target.status}`);
      if (deadline)
        await tx
          .update(eois)
          .set({ bookingDeadline: deadline, updatedAt: now })
          .where(eq(eois.id, target.id));
      const band =
        decision === "approved" ? await setMatchPriority(tx, target.id, input.vulnerable === true) : null;
      for (const step of path) {
        await changeStatus(
          tx,
          target.id,
          step,
          actor,
          step === decision
            ? {
                reasonCode: reason,
                // The notification's {{bookBy}}: the date in the applicant's own language, Paris time.
                ...(deadline ? { params: { bookBy: formatDate(deadline, target.lang) } } : {}),
              }
            : {},
        );
      }
      await audit(tx, actor, "case.decided", caseSubject(target.id), {
        decision,
        reason,
        ...(target.id === eoiId
          ? open.length
            ? { family: open.map((m) => m.id) }
            : {}
          : { decidedWith: eoiId }),
        ...(deadline ? { bookingDays: days, bookingDeadline: deadline.toISOString() } : {}),
        ...(band !== null ? { matchPriority: band, vulnerable: input.vulnerable === true } : {}),
      });
    }
    return targets.map((t) => t.id);
  });
}

// ---------------------------------------------------------------------------------------------
// Documents

/**
 * One of the case's uploaded files for a caseworker (each view audited by readUpload). Null when
 * the upload is not this case's, or the case is not a submitted application.
 */
export async function readCaseDocument(eoiId: string, uploadId: string, actor: Actor) {
  staffIdOf(actor);
  if (!isUuid(eoiId) || !isUuid(uploadId)) return null;
  const [row] = await db().select({ status: eois.status }).from(eois).where(eq(eois.id, eoiId));
  if (!row || row.status === "draft") return null;
  return readUpload(eoiId, uploadId, actor);
}
