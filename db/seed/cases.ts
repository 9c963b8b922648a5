import { createHash, randomUUID } from "node:crypto";
import { deflateSync } from "node:zlib";
import { asc, eq } from "drizzle-orm";
import { blindIndex, decryptJson, encrypt, encryptJson, randomToken } from "~/.server/crypto.server";
import type { Transaction } from "~/.server/db.server";
import { storeFile } from "~/.server/storage.server";
import { type AllAnswers, PRESENCE_LINK_HOURS } from "~/domain/eoi/eoi.pages";
import type { EoiDocument } from "~/domain/eoi/eoi.service.server";
import { generateFamilyReference, generateReference, type RandomBytes } from "~/domain/eoi/reference";
import { consentText } from "~/domain/helpers/consent.server";
import { documentKey, identityKey, normaliseName } from "~/domain/identity/identity.rules";
import { matchPriority } from "~/domain/matching/priority";
import {
  applicationWindows,
  type EoiStatus,
  eoiFlags,
  eois,
  familyGroups,
  helperConsents,
  helperUsers,
  organisations,
  presenceChecks,
  returnCases,
  staffUsers,
  statusHistory,
  uploads,
} from "../schema";

/**
 * Demo Expressions of Interest for the back office: 24 applications submitted over the last week
 * in the demo window, at every stage-one status, with their status history, presence checks,
 * documents (generated PNGs marked DEMO, stored encrypted like real uploads) and the flags a
 * caseworker meets: a possible duplicate pair, a previously returned person, unconfirmed locations
 * and one family. Three were made by the demo NGO's helper, with the applicant's consent in force. Everything is derived from the index and `now`; only ids and the hashes of the
 * (unusable) presence tokens are random.
 */

const hour = 3_600_000;
const day = 24 * hour;
/** The booking period given to the demo selections (domain.md Part A §8). */
const DEMO_BOOKING_DAYS = 14;

type Presence = "in_france" | "no_location" | "expired";

/** One change after submission, `after` hours after it. */
interface Step {
  to: EoiStatus;
  actor: "system" | "staff" | "applicant";
  after: number;
  reason?: string;
}

interface CaseSpec {
  /** Submitted this many hours before now. */
  hoursAgo: number;
  steps: Step[];
  /** Submitted by the demo NGO's helper rather than by the applicant. */
  helper?: boolean;
  family?: "main" | "member";
  /** Which family, when there are several (the first by default). */
  group?: string;
  /** Same person as the case at this index (a second application): a possible duplicate. */
  duplicateOf?: number;
  /** The identity of the first demo return case: flagged as previously returned. */
  returned?: boolean;
  /** Answers that explain a decision. */
  ukFamily?: string;
}

const inFrance = (after: number): Step => ({ to: "location_verified", actor: "system", after });
const noLocation = (after: number): Step => ({
  to: "location_unverified",
  actor: "system",
  after,
  reason: "no_location",
});
const expired: Step = {
  to: "location_unverified",
  actor: "system",
  after: PRESENCE_LINK_HOURS,
  reason: "expired",
};
const review = (after: number): Step => ({ to: "under_review", actor: "staff", after });
const decide = (to: EoiStatus, reason: string, after: number): Step => ({
  to,
  actor: "staff",
  after,
  reason,
});
/** Selected, booked, enrolled at the centre and approved: waiting in the matching queue. */
const approved = (reason: string): Step[] => [
  inFrance(2),
  review(26),
  decide("selected", reason, 50),
  { to: "appointment_booked", actor: "applicant", after: 60 },
  { to: "biometrics_enrolled", actor: "staff", after: 120 },
  decide("approved", "all_checks_passed", 150),
];

/**
 * Oldest first, then the approved cases. Decided cases are the oldest; cases still "submitted" are
 * less than a day old, so their presence link is still open and the worker has nothing to expire.
 */
const specs: CaseSpec[] = [
  { hoursAgo: 160, steps: [inFrance(2), review(26), decide("selected", "priority_nationality", 50)] },
  {
    hoursAgo: 156,
    steps: [inFrance(3), review(27), decide("not_selected", "lower_priority", 51)],
    helper: true,
  },
  { hoursAgo: 150, steps: [expired, decide("invalid", "not_in_france", 50)] },
  { hoursAgo: 140, steps: [inFrance(1), review(28), decide("selected", "submission_order", 52)] },
  { hoursAgo: 130, steps: [inFrance(4), review(30)], returned: true },
  { hoursAgo: 120, steps: [inFrance(1), decide("invalid", "missing_id_or_photo", 26)] },
  { hoursAgo: 110, steps: [inFrance(2), review(29), decide("not_selected", "no_capacity", 53)] },
  { hoursAgo: 100, steps: [noLocation(1), review(26)] },
  {
    hoursAgo: 96,
    steps: [inFrance(2), review(27), decide("selected", "family_in_uk", 50)],
    ukFamily: "A brother in Leeds (demo answer).",
  },
  { hoursAgo: 90, steps: [inFrance(5), decide("invalid", "eea_or_free_movement", 27)] },
  { hoursAgo: 80, steps: [inFrance(1), review(28)], helper: true },
  { hoursAgo: 72, steps: [expired] },
  { hoursAgo: 66, steps: [inFrance(2)] },
  { hoursAgo: 60, steps: [inFrance(2)], family: "main" },
  { hoursAgo: 58, steps: [inFrance(1)], family: "member" },
  { hoursAgo: 50, steps: [inFrance(3)] },
  { hoursAgo: 46, steps: [inFrance(1), review(26)] },
  { hoursAgo: 40, steps: [noLocation(1)] },
  { hoursAgo: 34, steps: [inFrance(2)], helper: true },
  { hoursAgo: 28, steps: [expired] },
  { hoursAgo: 18, steps: [] },
  { hoursAgo: 12, steps: [], duplicateOf: 12 },
  { hoursAgo: 6, steps: [] },
  { hoursAgo: 2, steps: [] },
  // Approved and waiting for a place (the matching queue): two families of two and three people
  // alone, listed after the others so the references above stay the same. With family in the UK,
  // the queue runs family, person, family, person, then the last person alone.
  {
    hoursAgo: 167,
    steps: approved("family_in_uk"),
    family: "main",
    group: "demo-family-2",
    ukFamily: "A sister in Manchester (demo answer).",
  },
  { hoursAgo: 167, steps: approved("family_in_uk"), family: "member", group: "demo-family-2" },
  { hoursAgo: 166, steps: approved("family_in_uk"), ukFamily: "A brother in London (demo answer)." },
  {
    hoursAgo: 165,
    steps: approved("family_in_uk"),
    family: "main",
    group: "demo-family-3",
    ukFamily: "A cousin in Cardiff (demo answer).",
  },
  { hoursAgo: 165, steps: approved("family_in_uk"), family: "member", group: "demo-family-3" },
  { hoursAgo: 164, steps: approved("family_in_uk"), ukFamily: "An uncle in Glasgow (demo answer)." },
  { hoursAgo: 163, steps: approved("submission_order") },
];

const nationalities = ["AF", "ER", "SD", "IR", "SY", "IQ", "VN"] as const;
const familyNames: Record<string, string[]> = {
  AF: ["Ahmadi", "Rahimi", "Karimi", "Sultani"],
  ER: ["Tesfaye", "Gebremedhin", "Haile", "Berhane"],
  SD: ["Abdelrahman", "Elsheikh", "Osman", "Hamid"],
  IR: ["Mohammadi", "Hosseini", "Rezaei", "Karami"],
  SY: ["Haddad", "Darwish", "Al-Hamwi", "Khatib"],
  IQ: ["Al-Jaburi", "Kareem", "Saleh", "Jasim"],
  VN: ["Nguyen", "Tran", "Pham", "Hoang"],
};
const birthPlaces: Record<string, string> = {
  AF: "Kabul",
  ER: "Asmara",
  SD: "Khartoum",
  IR: "Tehran",
  SY: "Aleppo",
  IQ: "Mosul",
  VN: "Hai Phong",
};
const areas = ["Calais", "Grande-Synthe", "Dunkerque", "Loon-Plage"];
const langs = ["fr", "en", "ar"] as const;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Bytes derived from a label, so that references come from the real generator yet never change. */
const bytesOf =
  (label: string): RandomBytes =>
  (n) =>
    new Uint8Array(createHash("sha256").update(label).digest().subarray(0, n));

interface Person {
  givenNames: string;
  familyName: string;
  dateOfBirth: string;
  nationality: string;
  documentNumber: string;
}

function answersFor(
  i: number,
  spec: CaseSpec,
  person: Person,
  now: Date,
  extra: { familyReference?: string; uploadIds: { identity_document: string; photo: string } },
): AllAnswers {
  const role = spec.family ?? "alone";
  const inFamily = role !== "alone";
  const year = now.getUTCFullYear();
  const fixedAddress = i % 3 === 0;
  return {
    pages: {
      "in-france": { inFrance: "yes" },
      age: { over18: "yes" },
      "identity-document": { hasDocument: "yes" },
      eea: { eeaNational: "no" },
      names: { givenNames: person.givenNames, familyName: person.familyName },
      "date-of-birth": { dateOfBirth: person.dateOfBirth },
      "place-of-birth": {
        placeOfBirth: birthPlaces[person.nationality] ?? "",
        countryOfBirth: person.nationality,
      },
      sex: { sex: spec.family === "member" ? "female" : i % 2 === 0 ? "male" : "female" },
      nationality: { nationality: person.nationality },
      "relationship-status": {
        relationshipStatus: inFamily ? "married" : i % 4 === 1 ? "divorced" : "single",
      },
      "document-details": {
        documentType: i % 5 === 4 ? "national_id" : "passport",
        documentNumber: person.documentNumber,
        documentCountry: person.nationality,
        documentExpiry: `${year + 2 + (i % 5)}-${pad((i % 12) + 1)}-${pad((i % 27) + 1)}`,
      },
      "applying-with": { familyRole: role },
      ...(spec.family === "member"
        ? {
            "family-reference": {
              familyReference: extra.familyReference ?? "",
              relationshipToMain: "spouse",
            },
          }
        : {}),
      "uk-family": spec.ukFamily ? { ukFamily: "yes", ukFamilyDetails: spec.ukFamily } : { ukFamily: "no" },
      "lived-in-uk": { livedInUk: "no" },
      "visited-uk": { visitedUk: i % 6 === 5 ? "yes" : "no" },
      address: fixedAddress
        ? {
            hasFixedAddress: "yes",
            addressLine1: `${10 + i} rue de l'Exemple`,
            town: "Calais",
            postcode: "62100",
          }
        : { hasFixedAddress: "no", area: areas[i % areas.length] as string },
      "previous-journeys": spec.returned
        ? {
            previousJourneys: "yes",
            previousJourneysDetails: "Crossed by small boat and was returned to France (demo answer).",
          }
        : { previousJourneys: "no" },
      removals: { removals: "no" },
      criminality: { convictions: "no" },
      "protection-elsewhere": { protectionElsewhere: "no" },
      "french-permission": { frenchPermission: "no" },
      consent: { consentData: "yes", consentLocation: "yes" },
    },
    children:
      spec.family === "main"
        ? [
            {
              id: randomUUID(),
              givenNames: "Demo Child",
              familyName: person.familyName,
              dateOfBirth: `${year - 6}-03-14`,
              sex: "female",
              nationality: person.nationality,
            },
          ]
        : [],
    uploads: extra.uploadIds,
  };
}

/**
 * Inserts the demo cases in the seed's transaction. Needs the demo window, organisation, helper,
 * caseworker and return cases to be there already (seedDemo inserts them first). The document
 * files are written to UPLOAD_DIR before the rows that point at them, as real uploads are.
 */
export async function seedDemoCases(tx: Transaction, now: Date): Promise<void> {
  const [window] = await tx
    .select({ id: applicationWindows.id })
    .from(applicationWindows)
    .orderBy(asc(applicationWindows.opensAt))
    .limit(1);
  // The demo helper's organisation made the helped cases, and holds their consents.
  const [helper] = await tx
    .select({ id: helperUsers.id, orgId: organisations.id, orgName: organisations.name })
    .from(helperUsers)
    .innerJoin(organisations, eq(organisations.id, helperUsers.organisationId))
    .where(eq(helperUsers.role, "helper"))
    .orderBy(asc(helperUsers.email))
    .limit(1);
  const org = helper && { id: helper.orgId, name: helper.orgName };
  const [caseworker] = await tx
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(eq(staffUsers.role, "caseworker"))
    .orderBy(asc(staffUsers.email))
    .limit(1);
  const [returned] = await tx.select().from(returnCases).orderBy(asc(returnCases.personRef)).limit(1);
  if (!window || !org || !helper || !caseworker || !returned) {
    throw new Error("seed the window, organisation, helper, caseworker and returns before the cases");
  }
  const returnedIdentity = decryptJson<{ fullName: string; dateOfBirth: string; nationality: string }>(
    returned.identityEnc,
  );

  // Who each case is: a demo name, or the person of another case or of the first return.
  const people: Person[] = [];
  specs.forEach((spec, i) => {
    const nationality = nationalities[i % nationalities.length] as string;
    const documentNumber = `${nationality}${pad(7_000_000 + i * 7_919, 7)}`;
    const dateOfBirth = `${1978 + ((i * 7) % 24)}-${pad(((i * 5) % 12) + 1)}-${pad(((i * 11) % 28) + 1)}`;
    if (spec.duplicateOf !== undefined) {
      // The same person again, names typed in capitals, with a new passport.
      const first = people[spec.duplicateOf] as Person;
      people.push({ ...first, familyName: first.familyName.toUpperCase(), documentNumber });
    } else if (spec.family === "member") {
      const main = people[i - 1] as Person;
      people.push({ ...main, givenNames: "Demo Partner", dateOfBirth, documentNumber });
    } else if (spec.returned) {
      const parts = returnedIdentity.fullName.split(" ");
      const cut = Math.ceil(parts.length / 2);
      people.push({
        givenNames: parts.slice(0, cut).join(" "),
        familyName: parts.slice(cut).join(" "),
        dateOfBirth: returnedIdentity.dateOfBirth,
        nationality: returnedIdentity.nationality,
        documentNumber,
      });
    } else {
      const names = familyNames[nationality] as string[];
      const familyName = names[Math.floor(i / nationalities.length) % names.length] as string;
      people.push({ givenNames: "Demo Applicant", familyName, dateOfBirth, nationality, documentNumber });
    }
  });

  const submittedAt = (spec: CaseSpec) => new Date(now.getTime() - spec.hoursAgo * hour);
  const at = (spec: CaseSpec, afterHours: number) =>
    new Date(submittedAt(spec).getTime() + afterHours * hour);

  // The family groups, each created when its main applicant submitted.
  const groupOf = (spec: CaseSpec) => spec.group ?? "demo-family-1";
  const groupRows = await tx
    .insert(familyGroups)
    .values(
      specs
        .filter((s) => s.family === "main")
        .map((main) => ({
          familyReference: generateFamilyReference(bytesOf(groupOf(main))),
          windowId: window.id,
          createdAt: submittedAt(main),
        })),
    )
    .returning();
  const groups = new Map(
    specs.filter((s) => s.family === "main").map((main, n) => [groupOf(main), groupRows[n]]),
  );
  const groupFor = (spec: CaseSpec) => {
    const group = groups.get(groupOf(spec));
    if (!group) throw new Error(`family group ${groupOf(spec)} not created`);
    return group;
  };

  // Documents: on disk (encrypted) before any row points at them.
  const files = await Promise.all(
    specs.map(async (_, i) => {
      const person = people[i] as Person;
      const made = { identity_document: demoDocument(i, person.nationality), photo: demoPhoto(i) };
      const ids = { identity_document: randomUUID(), photo: randomUUID() };
      await storeFile(ids.identity_document, made.identity_document.bytes);
      await storeFile(ids.photo, made.photo.bytes);
      return { ids, made };
    }),
  );

  const rows = specs.map((spec, i) => {
    const person = people[i] as Person;
    const fullName = `${person.givenNames} ${person.familyName}`;
    const submitted = submittedAt(spec);
    const last = spec.steps.at(-1);
    const status = last?.to ?? "submitted";
    const selected = spec.steps.find((s) => s.to === "selected");
    const contact = {
      email: `demo.applicant${i + 1}@example.org`,
      // Numbers reserved by ARCEP for fiction (06 39 98 xx xx).
      ...(i % 3 === 2 ? {} : { mobile: `+336399800${pad(i + 1)}` }),
    };
    const createdAt = new Date(submitted.getTime() - (1 + (i % 4)) * hour);
    const answers = answersFor(i, spec, person, now, {
      familyReference: spec.family === "member" ? groupFor(spec).familyReference : undefined,
      uploadIds: (files[i] as (typeof files)[number]).ids,
    });
    return {
      status,
      lang: langs[i % langs.length] as string,
      answersEnc: encryptJson({ contact, answers } satisfies EoiDocument),
      emailHash: blindIndex("email", contact.email),
      mobileHash: contact.mobile ? blindIndex("mobile", contact.mobile) : null,
      contactVerifiedAt: createdAt,
      reference: generateReference(bytesOf(`demo-eoi-${i + 1}`)),
      windowId: window.id,
      familyRole: spec.family ?? ("alone" as const),
      familyGroupId: spec.family ? groupFor(spec).id : null,
      matchPriority: matchPriority(
        {
          ukFamily: answers.pages?.["uk-family"]?.ukFamily,
          livedInUk: answers.pages?.["lived-in-uk"]?.livedInUk,
          visitedUk: answers.pages?.["visited-uk"]?.visitedUk,
        },
        false,
      ),
      nationality: person.nationality,
      identityHash: blindIndex("identity", identityKey(fullName, person.dateOfBirth, person.nationality)),
      documentHash: blindIndex("document", documentKey(person.nationality, person.documentNumber)),
      nameHash: blindIndex("name", normaliseName(fullName)),
      helperOrganisationId: spec.helper ? org.id : null,
      submittedAt: submitted,
      bookingDeadline: selected ? new Date(submitted.getTime() + DEMO_BOOKING_DAYS * day) : null,
      version: 24 + (i % 7),
      createdAt,
      updatedAt: last ? at(spec, last.after) : submitted,
    };
  });
  const inserted = await tx.insert(eois).values(rows).returning({ id: eois.id, reference: eois.reference });
  const idByReference = new Map(inserted.map((r) => [r.reference, r.id]));
  const ids = rows.map((r) => idByReference.get(r.reference) as string);

  const history: (typeof statusHistory.$inferInsert)[] = [];
  const checks: (typeof presenceChecks.$inferInsert)[] = [];
  const flags: (typeof eoiFlags.$inferInsert)[] = [];
  const uploadRows: (typeof uploads.$inferInsert)[] = [];
  specs.forEach((spec, i) => {
    const eoiId = ids[i] as string;
    const submitted = submittedAt(spec);
    history.push({
      eoiId,
      fromStatus: "draft",
      toStatus: "submitted",
      actorType: spec.helper ? "helper" : "applicant",
      actorId: spec.helper ? helper.id : eoiId,
      at: submitted,
    });
    let from: EoiStatus = "submitted";
    for (const step of spec.steps) {
      history.push({
        eoiId,
        fromStatus: from,
        toStatus: step.to,
        reasonCode: step.reason ?? null,
        actorType: step.actor,
        actorId: step.actor === "staff" ? caseworker.id : step.actor === "applicant" ? eoiId : null,
        at: at(spec, step.after),
      });
      from = step.to;
    }

    // The presence link sent at submission, and what came of it.
    const presence = spec.steps.find((s) => s.actor === "system");
    const result: Presence | null = presence
      ? presence.to === "location_verified"
        ? "in_france"
        : (presence.reason as Presence)
      : null;
    checks.push({
      eoiId,
      // Nobody holds the token: a demo link cannot be used.
      tokenHash: blindIndex("presence", randomToken()),
      expiresAt: at(spec, PRESENCE_LINK_HOURS),
      completedAt: presence ? at(spec, presence.after) : null,
      result,
      createdAt: submitted,
    });
    if (presence && result !== "in_france") {
      flags.push({
        eoiId,
        kind: "location_unverified",
        details: { result },
        createdAt: at(spec, presence.after),
      });
    }
    if (spec.duplicateOf !== undefined) {
      const otherId = ids[spec.duplicateOf] as string;
      const details = { match: "identity" };
      flags.push(
        {
          eoiId,
          kind: "possible_duplicate",
          evidenceType: "eoi",
          evidenceId: otherId,
          details,
          createdAt: submitted,
        },
        {
          eoiId: otherId,
          kind: "possible_duplicate",
          evidenceType: "eoi",
          evidenceId: eoiId,
          details,
          createdAt: submitted,
        },
      );
    }
    if (spec.returned) {
      flags.push({
        eoiId,
        kind: "previously_returned",
        evidenceType: "return_case",
        evidenceId: returned.id,
        details: { match: "identity" },
        createdAt: submitted,
      });
    }

    const { ids: uploadIds, made } = files[i] as (typeof files)[number];
    for (const kind of ["identity_document", "photo"] as const) {
      uploadRows.push({
        id: uploadIds[kind],
        eoiId,
        kind,
        contentType: "image/png",
        sizeBytes: made[kind].bytes.byteLength,
        sha256: createHash("sha256").update(made[kind].bytes).digest("hex"),
        width: made[kind].width,
        height: made[kind].height,
        createdAt: new Date(submitted.getTime() - hour / 2),
      });
    }
  });
  await tx.insert(statusHistory).values(history);
  await tx.insert(presenceChecks).values(checks);
  await tx.insert(eoiFlags).values(flags);
  await tx.insert(uploads).values(uploadRows);

  // The applications the demo helper made: the applicant's consent, in force, shown in their language.
  const consents: (typeof helperConsents.$inferInsert)[] = [];
  for (const [i, spec] of specs.entries()) {
    if (!spec.helper) continue;
    const row = rows[i] as (typeof rows)[number];
    const person = people[i] as Person;
    consents.push({
      eoiId: ids[i] as string,
      organisationId: org.id,
      recordedBy: helper.id,
      assignedHelperId: helper.id,
      applicantNameEnc: encrypt(`${person.givenNames} ${person.familyName}`),
      method: "in_person",
      lang: row.lang,
      textShown: (await consentText(row.lang, org.name)).join("\n\n"),
      givenAt: row.createdAt,
    });
  }
  await tx.insert(helperConsents).values(consents);
}

// ---------------------------------------------------------------------------------------------
// Demo pictures: PNGs drawn pixel by pixel, stamped DEMO, so a caseworker has something to open.

interface Picture {
  bytes: Uint8Array;
  width: number;
  height: number;
}

type Rgb = readonly [number, number, number];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** An 8-bit RGB PNG with no metadata chunks. */
function png(width: number, height: number, paint: (x: number, y: number) => Rgb): Picture {
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y);
      const o = y * stride + 1 + x * 3;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const bytes = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(raw)),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
  return { bytes: new Uint8Array(bytes), width, height };
}

// 5 × 7 glyphs, one string of five bits per row.
const glyphs: Record<string, string[]> = {
  D: ["11110", "10001", "10001", "10001", "10001", "10001", "11110"],
  E: ["11111", "10000", "10000", "11110", "10000", "10000", "11111"],
  M: ["10001", "11011", "10101", "10101", "10001", "10001", "10001"],
  O: ["01110", "10001", "10001", "10001", "10001", "10001", "01110"],
};

/** Whether (x, y) is inked by `text` drawn at (left, top), each glyph pixel `scale` wide. */
function inText(text: string, left: number, top: number, scale: number, x: number, y: number): boolean {
  const col = Math.floor((x - left) / scale);
  const row = Math.floor((y - top) / scale);
  if (x < left || y < top || row > 6) return false;
  const glyph = glyphs[text[Math.floor(col / 6)] ?? ""];
  return glyph?.[row]?.[col % 6] === "1";
}

const inEllipse = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) =>
  ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;

const tints: Record<string, Rgb> = {
  AF: [29, 112, 184],
  ER: [0, 112, 60],
  SD: [140, 28, 19],
  IR: [80, 90, 95],
  SY: [76, 44, 146],
  IQ: [18, 67, 125],
  VN: [181, 48, 10],
};

/** A card-sized identity document (ID-1 proportions): a coloured band, a photo, text lines, an MRZ. */
function demoDocument(i: number, nationality: string): Picture {
  const band = tints[nationality] ?? [80, 90, 95];
  const white: Rgb = [255, 255, 255];
  const paper: Rgb = [244, 242, 236];
  const ink: Rgb = [60, 60, 60];
  const lineWidths = [300, 220, 260, 180, 240].map((w, k) => w + ((i * 37 + k * 53) % 90));
  return png(640, 404, (x, y) => {
    if (y < 64) return inText("DEMO", 24, 11, 6, x, y) ? white : band;
    if (x >= 24 && x < 184 && y >= 88 && y < 288) {
      if (inEllipse(x, y, 104, 165, 42, 52) || inEllipse(x, y, 104, 300, 78, 80)) return [150, 150, 150];
      return [214, 214, 214];
    }
    if (x >= 208 && y >= 96 && y < 276 && (y - 96) % 36 < 14) {
      return x < 208 + (lineWidths[Math.floor((y - 96) / 36)] as number) ? ink : paper;
    }
    if (x >= 24 && x < 616 && y >= 316 && y < 384 && (y - 316) % 40 < 22 && (x - 24) % 16 < 11) return ink;
    return paper;
  });
}

/** A passport-style photograph, 600 × 750 (the smallest the service accepts), with a silhouette. */
function demoPhoto(i: number): Picture {
  const background: Rgb = [232 - (i % 4) * 6, 236 - (i % 3) * 5, 240];
  const figure: Rgb = [110 + (i % 5) * 12, 110 + (i % 5) * 10, 118 + (i % 5) * 8];
  const stamp: Rgb = [178, 34, 34];
  return png(600, 750, (x, y) => {
    if (inText("DEMO", 24, 24, 8, x, y)) return stamp;
    const neck = x >= 255 && x < 345 && y >= 440 && y < 540;
    if (neck || inEllipse(x, y, 300, 320, 120, 150) || inEllipse(x, y, 300, 780, 270, 260)) return figure;
    return background;
  });
}
