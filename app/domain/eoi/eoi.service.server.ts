import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, isNull, lt, lte, ne, notExists, or, sql } from "drizzle-orm";
import {
  applicationWindows,
  eoiFlags,
  eois,
  familyGroups,
  presenceChecks,
  returnCases,
  schemeSettings,
} from "../../../db/schema";
import { blindIndex, decryptJson, encryptJson, randomToken } from "../../.server/crypto.server";
import { db, type Executor, placeholders, reusable, violatedUniqueConstraint } from "../../.server/db.server";
import type { RateLimitResult } from "../../.server/rate-limit.server";
import type { DraftRow } from "../../.server/session.server";
import { type Actor, audit } from "../audit/audit.server";
import { type Assistance, recordConsent } from "../helpers/consent.server";
import { documentKey, identityKey, normaliseName } from "../identity/identity.rules";
import { type Contact, enqueueMany } from "../notifications/outbox.server";
import { changeStatus } from "../status/status.service.server";
import { type AllAnswers, answersOf, isComplete, PRESENCE_LINK_HOURS, pruneAnswers } from "./eoi.pages";
import { generateFamilyReference, generateReference } from "./reference";

/** What is encrypted in eois.answers_enc. */
export interface EoiDocument {
  contact: Contact;
  answers: AllAnswers;
}

export interface Draft extends EoiDocument {
  id: string;
  status: (typeof eois.$inferSelect)["status"];
  lang: string;
  reference: string | null;
  familyReference: string | null;
  submittedAt: Date | null;
  createdAt: Date;
  version: number;
  /** Set when the applicant is selected and invited to book (stage two). */
  bookingDeadline: Date | null;
}

const contactHashes = (contact: Contact) => ({
  emailHash: contact.email ? blindIndex("email", contact.email) : null,
  mobileHash: contact.mobile ? blindIndex("mobile", contact.mobile) : null,
});

/** A draft is created once the applicant has proved their contact details (after the code). */
export async function createDraft(input: {
  lang: string;
  contact: Contact;
  answers: AllAnswers;
  actor: Actor;
  /** A helper starting the application for the applicant, with the consent they recorded. */
  assistance?: Assistance;
}): Promise<string> {
  return db().transaction(async (tx) => {
    const [row] = await tx
      .insert(eois)
      .values({
        lang: input.lang,
        answersEnc: encryptJson({ contact: input.contact, answers: input.answers } satisfies EoiDocument),
        ...contactHashes(input.contact),
        contactVerifiedAt: new Date(),
        helperOrganisationId: input.assistance?.helper.organisationId ?? null,
      })
      .returning({ id: eois.id });
    const id = row?.id as string;
    const actor = input.assistance ? { ...input.actor, onBehalfOf: id } : input.actor;
    await audit(tx, actor, "eoi.draft_created", { type: "eoi", id });
    if (input.assistance) await recordConsent(tx, id, input.assistance, actor);
    return id;
  });
}

const selectEoi = (executor: Executor) =>
  executor
    .select({ eoi: eois, familyReference: familyGroups.familyReference })
    .from(eois)
    .leftJoin(familyGroups, eq(familyGroups.id, eois.familyGroupId))
    .where(eq(eois.id, sql.placeholder("id")));
const eoiRow = reusable(selectEoi);
const lockedEoiRow = reusable((executor) => selectEoi(executor).for("update", { of: eois }));

/** Reads and decrypts an EOI in the caller's transaction, locking the row when asked. */
export async function readEoi(tx: Executor, id: string, lock = false): Promise<Draft | null> {
  const [row] = await (lock ? lockedEoiRow : eoiRow)(tx, { id });
  return row ? draftOf(row) : null;
}

/** The EOI of a row read with its family group's reference, decrypted. */
export function draftOf(row: DraftRow): Draft {
  const doc = decryptJson<EoiDocument>(row.eoi.answersEnc);
  return {
    ...doc,
    id: row.eoi.id,
    status: row.eoi.status,
    lang: row.eoi.lang,
    reference: row.eoi.reference,
    familyReference: row.familyReference,
    submittedAt: row.eoi.submittedAt,
    createdAt: row.eoi.createdAt,
    version: row.eoi.version,
    bookingDeadline: row.eoi.bookingDeadline,
  };
}

export const loadEoi = (id: string) => readEoi(db(), id);

export class NotEditableError extends Error {}

/**
 * Saves one page's answers into the draft (never partially: the caller validated them), and
 * drops answers to pages that no longer apply. Only drafts can change.
 */
export async function saveAnswers(
  id: string,
  update: (answers: AllAnswers) => AllAnswers,
  actor: Actor,
  action = "eoi.answers_saved",
): Promise<Draft> {
  return db().transaction(async (tx) => {
    const draft = await readEoi(tx, id, true);
    if (!draft) throw new NotEditableError("not found");
    if (draft.status !== "draft") throw new NotEditableError("already submitted");
    const answers = pruneAnswers(update(draft.answers));
    await tx
      .update(eois)
      .set({
        answersEnc: encryptJson({ contact: draft.contact, answers } satisfies EoiDocument),
        version: draft.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(eois.id, id));
    await audit(tx, actor, action, { type: "eoi", id });
    return { ...draft, answers, version: draft.version + 1 };
  });
}

/** Drafts and applications reachable with a verified email or mobile (resume from any device). */
export async function findByContact(
  contact: Contact,
): Promise<{ id: string; status: string; updatedAt: Date }[]> {
  const { emailHash, mobileHash } = contactHashes(contact);
  const conditions = [
    emailHash ? eq(eois.emailHash, emailHash) : undefined,
    mobileHash ? eq(eois.mobileHash, mobileHash) : undefined,
  ].filter((c) => c !== undefined);
  if (!conditions.length) return [];
  return db()
    .select({ id: eois.id, status: eois.status, updatedAt: eois.updatedAt })
    .from(eois)
    .where(or(...conditions))
    .orderBy(desc(eois.updatedAt));
}

export interface WindowInfo {
  id: string;
  name: string;
  opensAt: Date;
  closesAt: Date;
}

const windowColumns = {
  id: applicationWindows.id,
  name: applicationWindows.name,
  opensAt: applicationWindows.opensAt,
  closesAt: applicationWindows.closesAt,
};

/** The window open at `now`, unless the scheme is suspended or the window paused (Part A §4). */
export async function openWindow(tx: Executor = db(), now = new Date()): Promise<WindowInfo | null> {
  const [window] = await windowOpenAt(tx, { now: now.toISOString() });
  return window ?? null;
}
const windowOpenAt = reusable((executor) =>
  executor
    .select(windowColumns)
    .from(applicationWindows)
    .where(
      and(
        lte(applicationWindows.opensAt, sql.placeholder("now")),
        gt(applicationWindows.closesAt, sql.placeholder("now")),
        isNull(applicationWindows.pausedAt),
        notExists(
          executor
            .select({ id: schemeSettings.id })
            .from(schemeSettings)
            .where(eq(schemeSettings.suspended, true)),
        ),
      ),
    )
    .orderBy(asc(applicationWindows.opensAt))
    .limit(1),
);

/**
 * Takes a place in the window, last in the submission's transaction. A window without a cap
 * counts nothing: the submission holds a share lock on the window's row until it commits, which
 * other submissions never wait for, but which an admin setting a cap does (updateWindow counts the
 * window's EOIs under its own lock). A capped window counts every submission on its row and
 * refuses one past the cap (null); that row stays locked until the commit, so capped submissions
 * queue on it for about a commit each. A family member joins the main applicant's place, so is
 * never turned away once the main applicant is in (Part A §5).
 */
async function takePlace(tx: Executor, windowId: string, member: boolean): Promise<boolean> {
  const [uncapped] = await shareUncappedWindow(tx, { windowId });
  if (uncapped) return true;
  const taken = await tx
    .update(applicationWindows)
    .set({ submittedCount: sql`${applicationWindows.submittedCount} + 1` })
    .where(
      and(
        eq(applicationWindows.id, windowId),
        member
          ? undefined
          : or(isNull(applicationWindows.cap), lt(applicationWindows.submittedCount, applicationWindows.cap)),
      ),
    )
    .returning({ id: applicationWindows.id });
  return taken.length > 0;
}

const shareUncappedWindow = reusable((executor) =>
  executor
    .select({ id: applicationWindows.id })
    .from(applicationWindows)
    .where(and(eq(applicationWindows.id, sql.placeholder("windowId")), isNull(applicationWindows.cap)))
    .for("share"),
);

/** Thrown inside a submission to roll it back when the window is full. */
class WindowFullError extends Error {}

/** The next window that will open, when admins have announced one. */
export async function nextWindow(tx: Executor = db(), now = new Date()): Promise<WindowInfo | null> {
  const [window] = await tx
    .select(windowColumns)
    .from(applicationWindows)
    .where(gt(applicationWindows.opensAt, now))
    .orderBy(asc(applicationWindows.opensAt))
    .limit(1);
  return window ?? null;
}

export type SubmitResult =
  | { ok: true; reference: string; familyReference: string | null }
  | {
      ok: false;
      error:
        | "not-found"
        | "incomplete"
        | "window-closed"
        | "window-full"
        | "family-not-found"
        | "family-window-mismatch";
      opensAt?: Date;
    }
  | { ok: false; error: "too-many"; retryAfter: number };

export interface SubmitOptions {
  /**
   * A rate limit counted in the submission's transaction, with its first statements (one round
   * trip and one commit fewer than before it). Over the limit, nothing else changes.
   */
  rateLimit?: (tx: Executor) => Promise<RateLimitResult>;
}

/**
 * Submits a draft: one transaction that locks the draft, checks the window and family rules,
 * assigns the reference, records the status change, raises flags for caseworkers and queues the
 * confirmation and the presence link. Idempotent: a repeated submit returns the same reference.
 */
export async function submitEoi(
  id: string,
  actor: Actor,
  now = new Date(),
  options: SubmitOptions = {},
): Promise<SubmitResult> {
  // A random reference already taken aborts the whole transaction, which runs again with a new
  // one: rarer than rare, and cheaper than a savepoint around every submission's reference.
  for (let attempt = 1; ; attempt++) {
    try {
      return await submitOnce(id, actor, now, options);
    } catch (error) {
      const constraint = violatedUniqueConstraint(error);
      const reference =
        constraint === "eois_reference_uniq" || constraint === "family_groups_family_reference_uniq";
      if (!reference || attempt >= 5) throw error;
    }
  }
}

async function submitOnce(
  id: string,
  actor: Actor,
  now: Date,
  options: SubmitOptions,
): Promise<SubmitResult> {
  return db()
    .transaction(async (tx): Promise<SubmitResult> => {
      // Sent together, with BEGIN: one round trip.
      const [limited, draft, window] = await Promise.all([
        options.rateLimit?.(tx),
        readEoi(tx, id, true),
        openWindow(tx, now),
      ]);
      if (limited && !limited.allowed)
        return { ok: false, error: "too-many", retryAfter: limited.retryAfter };
      if (!draft) return { ok: false, error: "not-found" };
      if (draft.status !== "draft") {
        return { ok: true, reference: draft.reference as string, familyReference: draft.familyReference };
      }
      const answers = draft.answers;
      if (!isComplete(answers)) return { ok: false, error: "incomplete" };
      if (!window)
        return { ok: false, error: "window-closed", opensAt: (await nextWindow(tx, now))?.opensAt };

      const role = answersOf(answers, "applying-with")?.familyRole as "alone" | "main" | "member";
      let familyGroupId: string | null = null;
      let familyReference: string | null = null;
      if (role === "member") {
        const reference = answersOf(answers, "family-reference")?.familyReference ?? "";
        const [group] = await tx
          .select()
          .from(familyGroups)
          .where(eq(familyGroups.familyReference, reference));
        if (!group) return { ok: false, error: "family-not-found" };
        if (group.windowId !== window.id) return { ok: false, error: "family-window-mismatch" };
        familyGroupId = group.id;
        familyReference = group.familyReference;
      } else if (role === "main") {
        const [group] = await tx
          .insert(familyGroups)
          .values({ familyReference: generateFamilyReference(), windowId: window.id })
          .returning();
        familyGroupId = group?.id as string;
        familyReference = group?.familyReference as string;
      }

      const about = {
        ...answersOf(answers, "names"),
        ...answersOf(answers, "date-of-birth"),
        ...answersOf(answers, "nationality"),
      };
      const fullName = `${about.givenNames ?? ""} ${about.familyName ?? ""}`;
      const nationality = about.nationality ?? "";
      const doc = answersOf(answers, "document-details") ?? {};
      const identityHash = blindIndex(
        "identity",
        identityKey(fullName, about.dateOfBirth ?? "", nationality),
      );
      const documentHash = blindIndex(
        "document",
        documentKey(doc.documentCountry ?? "", doc.documentNumber ?? ""),
      );

      const reference = generateReference();
      const token = randomToken();
      const checkId = randomUUID();
      // Independent writes, sent together: postgres-js pipelines them on the transaction's
      // connection, one round trip where one after the other took nine.
      const [placed] = await Promise.all([
        takePlace(tx, window.id, role === "member"),
        changeStatus(tx, id, "submitted", actor, {
          locked: draft,
          set: {
            reference,
            windowId: window.id,
            submittedAt: now,
            familyRole: role,
            familyGroupId,
            nationality,
            identityHash,
            documentHash,
            nameHash: blindIndex("name", normaliseName(fullName)),
          },
          auditDetails: { windowId: window.id },
        }),
        raiseFlags(tx, id, identityHash, documentHash),
        insertPresenceCheck(tx, {
          id: checkId,
          eoiId: id,
          tokenHash: blindIndex("presence", token),
          expiresAt: new Date(now.getTime() + PRESENCE_LINK_HOURS * 3600_000),
        }),
        enqueueMany(tx, [
          {
            dedupeKey: `submitted:${id}`,
            contact: draft.contact,
            template: role === "main" ? "submittedMain" : "submitted",
            lang: draft.lang,
            params: { reference, ...(familyReference ? { familyReference } : {}) },
            eoiId: id,
          },
          {
            dedupeKey: `presence:${checkId}`,
            contact: draft.contact,
            template: "presence",
            lang: draft.lang,
            params: { path: `/${draft.lang}/presence/${token}`, hours: String(PRESENCE_LINK_HOURS) },
            eoiId: id,
          },
        ]),
      ]);
      if (!placed) throw new WindowFullError();
      return { ok: true, reference, familyReference };
    })
    .catch(async (error): Promise<SubmitResult> => {
      // Nothing of the refused submission is kept: the draft stays as it was.
      if (!(error instanceof WindowFullError)) throw error;
      return { ok: false, error: "window-full", opensAt: (await nextWindow(db(), now))?.opensAt };
    });
}

const insertPresenceCheck = reusable((executor) =>
  executor.insert(presenceChecks).values(placeholders("id", "eoiId", "tokenHash", "expiresAt")),
);

/** Other EOIs and return records with the same identity or document, in one round trip. */
const sameIdentityOrDocument = reusable((executor) => {
  const [identityHash, documentHash] = [sql.placeholder("identityHash"), sql.placeholder("documentHash")];
  return executor
    .select({ kind: sql<"eoi" | "return_case">`'eoi'`, id: eois.id, identityHash: eois.identityHash })
    .from(eois)
    .where(
      and(
        ne(eois.id, sql.placeholder("id")),
        ne(eois.status, "draft"),
        or(eq(eois.identityHash, identityHash), eq(eois.documentHash, documentHash)),
      ),
    )
    .unionAll(
      executor
        .select({
          kind: sql<"eoi" | "return_case">`'return_case'`,
          id: returnCases.id,
          identityHash: returnCases.identityHash,
        })
        .from(returnCases)
        .where(or(eq(returnCases.identityHash, identityHash), eq(returnCases.documentHash, documentHash))),
    );
});

/**
 * Flags never block (issue: "flags never silently block"): they point caseworkers at the
 * evidence — the other EOI with the same identity or document, or the matching return record.
 */
async function raiseFlags(
  tx: Executor,
  id: string,
  identityHash: string,
  documentHash: string,
): Promise<void> {
  const matches = await sameIdentityOrDocument(tx, { id, identityHash, documentHash });
  const flags = matches.flatMap((m): (typeof eoiFlags.$inferInsert)[] => {
    const details = { match: m.identityHash === identityHash ? "identity" : "document" };
    return m.kind === "eoi"
      ? [
          { eoiId: id, kind: "possible_duplicate" as const, evidenceType: "eoi", evidenceId: m.id, details },
          { eoiId: m.id, kind: "possible_duplicate" as const, evidenceType: "eoi", evidenceId: id, details },
        ]
      : [
          {
            eoiId: id,
            kind: "previously_returned" as const,
            evidenceType: "return_case",
            evidenceId: m.id,
            details,
          },
        ];
  });
  if (flags.length) await tx.insert(eoiFlags).values(flags).onConflictDoNothing();
}

/** Flags of an EOI (for staff views and tests). */
export async function flagsOf(id: string) {
  return db()
    .select()
    .from(eoiFlags)
    .where(inArray(eoiFlags.eoiId, [id]));
}
