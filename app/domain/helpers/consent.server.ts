import { helperConsents } from "../../../db/schema";
import { encrypt } from "../../.server/crypto.server";
import type { Executor } from "../../.server/db.server";
import type { HelperMember, PendingConsent } from "../../.server/helper-auth.server";
import { type Actor, audit } from "../audit/audit.server";

/** A helper starting an application, with the consent the applicant gave them. */
export interface Assistance {
  helper: Pick<HelperMember, "id" | "organisationId">;
  consent: PendingConsent;
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
