import { and, eq, isNull, sql } from "drizzle-orm";
import { eois, helperConsents, organisations } from "../../../db/schema";
import { encrypt } from "../../.server/crypto.server";
import { db, type Executor, reusable } from "../../.server/db.server";
import type { HelperMember, PendingConsent } from "../../.server/helper-auth.server";
import { fixedT } from "../../.server/i18n.server";
import { type Actor, audit } from "../audit/audit.server";

/** A helper starting an application, with the consent the applicant gave them. */
export interface Assistance {
  helper: Pick<HelperMember, "id" | "organisationId">;
  consent: PendingConsent;
}

/** The consent text, in the applicant's language, naming the organisation: one string per paragraph. */
export async function consentText(lang: string, organisation: string): Promise<string[]> {
  const t = await fixedT(lang, "caseload");
  return t("consent.text", { returnObjects: true, organisation }) as unknown as string[];
}

/**
 * The applicant's consent, stored with the draft it belongs to (same transaction): the text they
 * were shown in their language, who gave it, when and how. The recording helper leads the case.
 */
export async function recordConsent(tx: Executor, eoiId: string, assistance: Assistance, actor: Actor) {
  const { helper, consent } = assistance;
  const [row] = await tx
    .insert(helperConsents)
    .values({
      eoiId,
      organisationId: helper.organisationId,
      recordedBy: helper.id,
      assignedHelperId: helper.id,
      applicantNameEnc: encrypt(consent.applicantName),
      method: consent.method,
      lang: consent.lang,
      textShown: consent.textShown,
      givenAt: new Date(consent.givenAt),
    })
    .returning({ id: helperConsents.id });
  await audit(
    tx,
    actor,
    "helper.consent_recorded",
    { type: "eoi", id: eoiId },
    { consentId: row?.id, method: consent.method, lang: consent.lang },
  );
}

/**
 * Ends the consent in force, if any: the organisation loses access at once (every helper request
 * re-checks it). Returns the organisation's name, or null when no consent was in force.
 */
export async function revokeConsent(eoiId: string, actor: Actor): Promise<string | null> {
  return db().transaction(async (tx) => {
    const [revoked] = await tx
      .update(helperConsents)
      .set({
        revokedAt: new Date(),
        revokedBy: actor.type === "applicant" || actor.type === "helper" ? actor.type : "staff",
      })
      .where(and(eq(helperConsents.eoiId, eoiId), isNull(helperConsents.revokedAt)))
      .returning({ id: helperConsents.id, organisationId: helperConsents.organisationId });
    if (!revoked) return null;
    await tx.update(eois).set({ helperOrganisationId: null }).where(eq(eois.id, eoiId));
    await audit(
      tx,
      actor,
      "helper.consent_revoked",
      { type: "eoi", id: eoiId },
      { consentId: revoked.id, organisationId: revoked.organisationId },
    );
    const [organisation] = await tx
      .select({ name: organisations.name })
      .from(organisations)
      .where(eq(organisations.id, revoked.organisationId));
    return organisation?.name ?? null;
  });
}

/** The organisation helping with this EOI now, and since when; null when none is. */
export async function helpingOrganisation(eoiId: string): Promise<{ name: string; since: Date } | null> {
  const [row] = await helpingOrganisationOf(db(), { eoiId });
  return row ?? null;
}
const helpingOrganisationOf = reusable((executor) =>
  executor
    .select({ name: organisations.name, since: helperConsents.givenAt })
    .from(helperConsents)
    .innerJoin(organisations, eq(organisations.id, helperConsents.organisationId))
    .where(and(eq(helperConsents.eoiId, sql.placeholder("eoiId")), isNull(helperConsents.revokedAt))),
);
