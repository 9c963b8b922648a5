import { type Answers, type Field, todayIso, toFormValues, validateFields } from "../forms/fields";
import { countryCodes, nationalityOptions } from "./countries";
import { isValidFamilyReference, normaliseFamilyReference } from "./reference";

/**
 * The Expression of Interest, as the real form asks it (domain.md Part B §2.3), one question per
 * page, grouped into the sections of the task list. Pure data plus flow rules: no Remix here.
 */

const yesNo = ["yes", "no"] as const;

/** Each adult confirms presence in France within 24 hours of submitting (Part A §3). */
export const PRESENCE_LINK_HOURS = 24;
const NS = "apply";

export interface QuestionPage {
  slug: string;
  fields: Field[];
  /** Shown only when this returns true for the answers so far. */
  when?: (answers: AllAnswers) => boolean;
  /** Custom pages (uploads, children) have their own route and no generic fields. */
  custom?: "upload-document" | "upload-photo" | "children";
}

export interface Section {
  id: string;
  pages: QuestionPage[];
}

/** All saved answers of a draft: each page's normalised answers, the children and the uploads. */
export interface AllAnswers {
  pages?: Record<string, Answers | undefined>;
  children?: Child[];
  uploads?: Partial<Record<"identity_document" | "photo" | "relationship_evidence", string>>;
}

/** One page's saved answers. */
export const answersOf = (answers: AllAnswers, slug: string): Answers | undefined => answers.pages?.[slug];

/** The answers with one page replaced. */
export const withPage = (answers: AllAnswers, slug: string, page: Answers): AllAnswers => ({
  ...answers,
  pages: { ...answers.pages, [slug]: page },
});

export interface Child {
  id: string;
  givenNames: string;
  familyName: string;
  dateOfBirth: string;
  sex: string;
  nationality: string;
}

const yesWithDetails = (name: string, detailsName = `${name}Details`): Field => ({
  kind: "radios",
  name,
  options: yesNo,
  conditional: { yes: [{ kind: "textarea", name: detailsName, max: 2000 }] },
});

/** Family = partner and children under 18 (domain.md Part A §5); the list is configuration. */
export const partnerRelationships = ["spouse", "civil_partner", "unmarried_partner"] as const;

export const eligibilityPages: QuestionPage[] = [
  { slug: "in-france", fields: [{ kind: "radios", name: "inFrance", options: yesNo }] },
  { slug: "age", fields: [{ kind: "radios", name: "over18", options: yesNo }] },
  { slug: "identity-document", fields: [{ kind: "radios", name: "hasDocument", options: yesNo }] },
  { slug: "eea", fields: [{ kind: "radios", name: "eeaNational", options: yesNo }] },
];

/** Why someone cannot apply; each has its own explanation and other options in the locales. */
export type IneligibleReason = "not-in-france" | "under-18" | "no-document" | "eea";

export function eligibilityOutcome(answers: AllAnswers): IneligibleReason | "eligible" | "incomplete" {
  const a = (slug: string, field: string) => answersOf(answers, slug)?.[field];
  if (a("in-france", "inFrance") === "no") return "not-in-france";
  if (a("age", "over18") === "no") return "under-18";
  if (a("identity-document", "hasDocument") === "no") return "no-document";
  if (a("eea", "eeaNational") === "yes") return "eea";
  return eligibilityPages.every((p) => answersOf(answers, p.slug)) ? "eligible" : "incomplete";
}

const isMember = (answers: AllAnswers) => answersOf(answers, "applying-with")?.familyRole === "member";

export const sections: Section[] = [
  {
    id: "about-you",
    pages: [
      {
        slug: "names",
        fields: [
          { kind: "text", name: "givenNames", autoComplete: "given-name", spellCheck: false },
          { kind: "text", name: "familyName", autoComplete: "family-name", spellCheck: false },
          { kind: "text", name: "otherNames", optional: true, spellCheck: false },
        ],
      },
      {
        slug: "date-of-birth",
        fields: [
          {
            kind: "date",
            name: "dateOfBirth",
            past: true,
            minAgeYears: 18,
            maxAgeYears: 120,
            autoComplete: "bday",
          },
        ],
      },
      {
        slug: "place-of-birth",
        fields: [
          { kind: "text", name: "placeOfBirth", max: 100 },
          { kind: "select", name: "countryOfBirth", options: countryCodes },
        ],
      },
      { slug: "sex", fields: [{ kind: "radios", name: "sex", options: ["female", "male", "unspecified"] }] },
      { slug: "nationality", fields: [{ kind: "select", name: "nationality", options: nationalityOptions }] },
      {
        slug: "relationship-status",
        fields: [
          {
            kind: "radios",
            name: "relationshipStatus",
            options: [
              "single",
              "married",
              "civil_partnership",
              "unmarried_partner",
              "separated",
              "divorced",
              "widowed",
            ],
          },
        ],
      },
    ],
  },
  {
    id: "identity-document",
    pages: [
      {
        slug: "document-details",
        fields: [
          { kind: "radios", name: "documentType", options: ["passport", "national_id"] },
          {
            kind: "text",
            name: "documentNumber",
            max: 30,
            width: 10,
            spellCheck: false,
            normalise: (v) => v.toUpperCase().replace(/\s+/g, ""),
            pattern: /^[A-Z0-9<-]{4,30}$/,
          },
          { kind: "select", name: "documentCountry", options: countryCodes },
          { kind: "date", name: "documentExpiry" },
        ],
      },
      {
        // An expired passport or identity card is accepted when there is no valid one (domain.md §2.4).
        slug: "document-expired",
        when: (a) => (answersOf(a, "document-details")?.documentExpiry ?? "9999") < todayIso(),
        fields: [{ kind: "checkbox", name: "noValidDocument" }],
      },
    ],
  },
  {
    id: "uploads",
    pages: [
      { slug: "upload-document", fields: [], custom: "upload-document" },
      { slug: "upload-photo", fields: [], custom: "upload-photo" },
    ],
  },
  {
    id: "family",
    pages: [
      {
        slug: "applying-with",
        fields: [{ kind: "radios", name: "familyRole", options: ["alone", "main", "member"] }],
      },
      {
        slug: "family-reference",
        when: isMember,
        fields: [
          {
            kind: "text",
            name: "familyReference",
            width: 20,
            spellCheck: false,
            normalise: (v) => normaliseFamilyReference(v) ?? v,
            check: isValidFamilyReference,
          },
          { kind: "radios", name: "relationshipToMain", options: partnerRelationships },
        ],
      },
      { slug: "children", fields: [], custom: "children" },
    ],
  },
  {
    id: "uk-connections",
    pages: [
      { slug: "uk-family", fields: [yesWithDetails("ukFamily")] },
      { slug: "lived-in-uk", fields: [{ kind: "radios", name: "livedInUk", options: yesNo }] },
      { slug: "visited-uk", fields: [{ kind: "radios", name: "visitedUk", options: yesNo }] },
    ],
  },
  {
    id: "france-address",
    pages: [
      {
        slug: "address",
        fields: [
          {
            kind: "radios",
            name: "hasFixedAddress",
            options: yesNo,
            conditional: {
              yes: [
                { kind: "text", name: "addressLine1", autoComplete: "address-line1", max: 200 },
                {
                  kind: "text",
                  name: "addressLine2",
                  autoComplete: "address-line2",
                  max: 200,
                  optional: true,
                },
                { kind: "text", name: "town", autoComplete: "address-level2", max: 100 },
                {
                  kind: "text",
                  name: "postcode",
                  autoComplete: "postal-code",
                  inputMode: "numeric",
                  width: 5,
                  pattern: /^\d{5}$/,
                  normalise: (v) => v.replace(/\s+/g, ""),
                },
              ],
              no: [{ kind: "text", name: "area", max: 100 }],
            },
          },
        ],
      },
    ],
  },
  {
    id: "declarations",
    pages: [
      { slug: "previous-journeys", fields: [yesWithDetails("previousJourneys")] },
      { slug: "removals", fields: [yesWithDetails("removals")] },
      { slug: "criminality", fields: [yesWithDetails("convictions")] },
      { slug: "protection-elsewhere", fields: [yesWithDetails("protectionElsewhere")] },
      { slug: "french-permission", fields: [yesWithDetails("frenchPermission")] },
    ],
  },
  {
    id: "consent",
    pages: [
      {
        slug: "consent",
        fields: [
          { kind: "checkbox", name: "consentData" },
          { kind: "checkbox", name: "consentLocation" },
        ],
      },
    ],
  },
];

export const contactFields: Field[] = [
  {
    kind: "text",
    name: "email",
    optional: true,
    type: "email",
    inputMode: "email",
    autoComplete: "email",
    spellCheck: false,
    max: 254,
    normalise: (v) => v.toLowerCase(),
    pattern: /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/,
  },
  {
    kind: "text",
    name: "mobile",
    optional: true,
    type: "tel",
    inputMode: "tel",
    autoComplete: "tel",
    width: 20,
    normalise: normalisePhone,
    pattern: /^\+[1-9]\d{7,14}$/,
  },
];

/** French numbers may be typed nationally (06 12 34 56 78); anything else needs its country code. */
export function normalisePhone(input: string): string {
  const digits = input.replace(/[\s().-]/g, "").replace(/^00/, "+");
  return /^0[67]\d{8}$/.test(digits) ? `+33${digits.slice(1)}` : digits;
}

/** The applicant must give at least one way to reach them. */
export const atLeastOneContact = (answers: Answers): Record<string, string> =>
  answers.email || answers.mobile ? {} : { email: "journey:contact.atLeastOne" };

export const codeFields: Field[] = [
  {
    kind: "text",
    name: "code",
    width: 5,
    inputMode: "numeric",
    autoComplete: "one-time-code",
    pattern: /^\d{6}$/,
    normalise: (v) => v.replace(/\s+/g, ""),
  },
];

export const declarationFields: Field[] = [{ kind: "checkbox", name: "declaration" }];

/** A child under 18 coming with the parent, added on the "children" page (Part A §5). */
export const childFields: Field[] = [
  { kind: "text", name: "childGivenNames", spellCheck: false },
  { kind: "text", name: "childFamilyName", spellCheck: false },
  { kind: "date", name: "childDateOfBirth", past: true },
  { kind: "radios", name: "childSex", options: ["female", "male", "unspecified"] },
  { kind: "select", name: "childNationality", options: nationalityOptions },
];

/** Children must be under 18 on the day of application. */
export const under18 = (answers: Answers): Record<string, string> => {
  const dob = answers.childDateOfBirth ?? "";
  const [y, m, d] = todayIso().split("-");
  const eighteenYearsAgo = `${Number(y) - 18}-${m}-${d}`;
  return dob <= eighteenYearsAgo ? { childDateOfBirth: "journey:children.notUnder18" } : {};
};

export const MAX_CHILDREN = 10;

const allPages = [...eligibilityPages, ...sections.flatMap((s) => s.pages)];
const pageIndex = new Map(allPages.map((p) => [p.slug, p]));
const sectionOfPage = new Map(sections.flatMap((s) => s.pages.map((p) => [p.slug, s] as const)));

export const findPage = (slug: string) => pageIndex.get(slug);
export const findSection = (slug: string) => sectionOfPage.get(slug);

const applies = (page: QuestionPage, answers: AllAnswers) => !page.when || page.when(answers);

function pageDone(page: QuestionPage, answers: AllAnswers): boolean {
  if (page.custom === "upload-document") return !!answers.uploads?.identity_document;
  if (page.custom === "upload-photo") return !!answers.uploads?.photo;
  if (page.custom === "children") return answers.children !== undefined;
  const saved = answersOf(answers, page.slug);
  return (
    saved !== undefined &&
    Object.keys(validateFields(NS, page.fields, toFormValues(page.fields, saved)).errors).length === 0
  );
}

export type SectionStatus = "not-started" | "in-progress" | "completed" | "cannot-start";

export function sectionStatus(section: Section, answers: AllAnswers): SectionStatus {
  const pages = section.pages.filter((p) => applies(p, answers));
  const done = pages.filter((p) => pageDone(p, answers)).length;
  if (done === pages.length) return "completed";
  const touched = section.pages.some(
    (p) => answersOf(answers, p.slug) !== undefined || (p.custom && pageDone(p, answers)),
  );
  return done > 0 || touched ? "in-progress" : "not-started";
}

/** The first page of a section the applicant still has to answer (or its first page). */
export function sectionStart(section: Section, answers: AllAnswers): QuestionPage {
  const pages = section.pages.filter((p) => applies(p, answers));
  return pages.find((p) => !pageDone(p, answers)) ?? (pages[0] as QuestionPage);
}

/** Next page after `slug` within its section, or null when the section is finished. */
export function nextPage(slug: string, answers: AllAnswers): QuestionPage | null {
  const section = findSection(slug);
  if (!section) return null;
  const pages = section.pages;
  const at = pages.findIndex((p) => p.slug === slug);
  return pages.slice(at + 1).find((p) => applies(p, answers)) ?? null;
}

/** Previous applicable page in the same section (for the back link), or null. */
export function previousPage(slug: string, answers: AllAnswers): QuestionPage | null {
  const section = findSection(slug);
  if (!section) return null;
  const at = section.pages.findIndex((p) => p.slug === slug);
  return (
    section.pages
      .slice(0, at)
      .reverse()
      .find((p) => applies(p, answers)) ?? null
  );
}

export const isComplete = (answers: AllAnswers) =>
  sections.every((s) => sectionStatus(s, answers) === "completed");

/** Drops answers to pages that no longer apply (e.g. the family reference after choosing "alone"). */
export function pruneAnswers(answers: AllAnswers): AllAnswers {
  const pages = { ...answers.pages };
  for (const page of sections.flatMap((s) => s.pages))
    if (!applies(page, { ...answers, pages })) delete pages[page.slug];
  return { ...answers, pages };
}
