import { applicationWindows } from "#db/schema";
import { db } from "~/.server/db.server";
import type { Actor } from "~/domain/audit/audit.server";
import type { AllAnswers } from "~/domain/eoi/eoi.pages";
import { createDraft } from "~/domain/eoi/eoi.service.server";

export const testActor: Actor = { type: "applicant", ip: "127.0.0.1", requestId: "test" };

export interface Person {
  givenNames?: string;
  familyName?: string;
  dateOfBirth?: string;
  nationality?: string;
  documentNumber?: string;
  familyRole?: "alone" | "main" | "member";
  familyReference?: string;
}

/** Answers to every page of the EOI, valid against each page's schema. */
export function completeAnswers(p: Person = {}): AllAnswers {
  const role = p.familyRole ?? "alone";
  return {
    pages: {
      "in-france": { inFrance: "yes" },
      age: { over18: "yes" },
      "identity-document": { hasDocument: "yes" },
      eea: { eeaNational: "no" },
      names: { givenNames: p.givenNames ?? "Amina", familyName: p.familyName ?? "Haddad" },
      "date-of-birth": { dateOfBirth: p.dateOfBirth ?? "1990-04-12" },
      "place-of-birth": { placeOfBirth: "Asmara", countryOfBirth: "ER" },
      sex: { sex: "female" },
      nationality: { nationality: p.nationality ?? "ER" },
      "relationship-status": { relationshipStatus: "single" },
      "document-details": {
        documentType: "passport",
        documentNumber: p.documentNumber ?? `P${Math.random().toString().slice(2, 10)}`,
        documentCountry: p.nationality ?? "ER",
        documentExpiry: "2030-01-01",
      },
      "applying-with": { familyRole: role },
      ...(role === "member"
        ? { "family-reference": { familyReference: p.familyReference ?? "", relationshipToMain: "spouse" } }
        : {}),
      "uk-family": { ukFamily: "no" },
      "lived-in-uk": { livedInUk: "no" },
      "visited-uk": { visitedUk: "no" },
      address: { hasFixedAddress: "no", area: "Calais" },
      "previous-journeys": { previousJourneys: "no" },
      removals: { removals: "no" },
      criminality: { convictions: "no" },
      "protection-elsewhere": { protectionElsewhere: "no" },
      "french-permission": { frenchPermission: "no" },
      consent: { consentData: "yes", consentLocation: "yes" },
    },
    children: [],
    uploads: { identity_document: crypto.randomUUID(), photo: crypto.randomUUID() },
  };
}

let counter = 0;

/** A verified draft with every answer given, ready to submit. */
export async function completeDraft(p: Person = {}, lang = "fr"): Promise<string> {
  counter += 1;
  return createDraft({
    lang,
    contact: { email: `applicant${counter}@example.org`, mobile: "+33612345678" },
    answers: completeAnswers(p),
    actor: testActor,
  });
}

const day = 86_400_000;

/** An application window around now (or wherever asked). */
export async function openWindowNow(offsetDays = 0, name = "Test window"): Promise<string> {
  const now = Date.now() + offsetDays * day;
  const [row] = await db()
    .insert(applicationWindows)
    .values({ name, opensAt: new Date(now - day), closesAt: new Date(now + day) })
    .returning({ id: applicationWindows.id });
  return row?.id as string;
}
