import { sql } from "drizzle-orm";
import { blindIndex, encryptJson, hashPassword } from "~/.server/crypto.server";
import type { Database } from "~/.server/db.server";
import { addDays, wallClock } from "~/domain/appointments/appointments.rules";
import { generateSlots } from "~/domain/appointments/appointments.service.server";
import { systemActor } from "~/domain/audit/audit.server";
import { documentKey, identityKey } from "~/domain/identity/identity.rules";
import {
  applicationWindows,
  centres,
  helperUsers,
  organisations,
  returnCases,
  type StaffRole,
  slotPatterns,
  staffUsers,
} from "../schema";
import { seedDemoCases } from "./cases";

export const demoPassword = "Demo-Password-2026";

const staff: { email: string; name: string; role: StaffRole; lang: "en" | "fr" }[] = [
  { email: "admin@demo.ukeats.test", name: "Alex Admin", role: "admin", lang: "en" },
  // A second administrator, on the French side of the Channel.
  { email: "admin.fr@demo.ukeats.test", name: "Adèle Administratrice", role: "admin", lang: "fr" },
  { email: "caseworker@demo.ukeats.test", name: "Camille Caseworker", role: "caseworker", lang: "fr" },
  { email: "centre@demo.ukeats.test", name: "Chris Centre", role: "centre_officer", lang: "fr" },
  { email: "matching@demo.ukeats.test", name: "Morgan Matching", role: "matching_officer", lang: "en" },
  { email: "auditor@demo.ukeats.test", name: "Avery Auditor", role: "auditor", lang: "en" },
];

/** Two associations, so that each can be shown to see only its own cases. */
const demoOrganisations = [
  { name: "Solidarité Littoral (demo)", city: "Calais" },
  { name: "Entraide Dunkerque (demo)", city: "Dunkerque" },
];

const helpers = [
  {
    email: "coordinator@demo.ukeats.test",
    name: "Claire Coordinatrice",
    role: "coordinator" as const,
    org: 0,
  },
  { email: "helper@demo.ukeats.test", name: "Hamid Helper", role: "helper" as const, org: 0 },
  {
    email: "coordinator.dunkerque@demo.ukeats.test",
    name: "Karim Coordinateur",
    role: "coordinator" as const,
    org: 1,
  },
];

/** The demo accounts (all with demoPassword), printed at start in development. */
export const demoAccounts = [...staff, ...helpers].map(({ email, role }) => ({ email, role }));

const day = 24 * 60 * 60 * 1000;

/** Half-hour slots, Paris time: Paris has more places than Lille, and opens on Saturday mornings. */
function demoSlotPatterns(centreIds: Record<string, string>, validFrom: string) {
  const block = (code: string, weekday: number, startTime: string, endTime: string, places: number) => ({
    centreId: centreIds[code] as string,
    weekday,
    startTime,
    endTime,
    slotMinutes: 30,
    places,
    validFrom,
  });
  return [1, 2, 3, 4, 5]
    .flatMap((weekday) => [
      block("PAR", weekday, "09:00", "12:00", 4),
      block("PAR", weekday, "13:30", "17:00", 4),
      block("LIL", weekday, "09:30", "12:30", 3),
      block("LIL", weekday, "14:00", "16:30", 3),
    ])
    .concat(block("PAR", 6, "09:00", "12:00", 2));
}

/**
 * Deterministic demo data: two centres, one open window, one NGO with a coordinator and a helper,
 * one staff account per role and some returns (mostly completed). Runs once on an empty database.
 */
export async function seedDemo(db: Database, now = new Date()): Promise<boolean> {
  const [existing] = await db.select({ n: sql<number>`count(*)::int` }).from(staffUsers);
  if ((existing?.n ?? 0) > 0) return false;

  const passwordHash = await hashPassword(demoPassword);
  const centreIds: Record<string, string> = {};
  await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(centres)
      .values([
        {
          code: "PAR",
          name: "Centre biométrique de Paris",
          address: "10 rue de la Demo, 75010 Paris",
          city: "Paris",
          openingHours: {
            "1": { opens: "09:00", closes: "17:00" },
            "2": { opens: "09:00", closes: "17:00" },
            "3": { opens: "09:00", closes: "17:00" },
            "4": { opens: "09:00", closes: "17:00" },
            "5": { opens: "09:00", closes: "17:00" },
            "6": { opens: "09:00", closes: "12:00" },
          },
        },
        {
          code: "LIL",
          name: "Centre biométrique de Lille",
          address: "5 place de l'Exemple, 59000 Lille",
          city: "Lille",
          openingHours: {
            "1": { opens: "09:30", closes: "16:30" },
            "2": { opens: "09:30", closes: "16:30" },
            "3": { opens: "09:30", closes: "16:30" },
            "4": { opens: "09:30", closes: "16:30" },
            "5": { opens: "09:30", closes: "16:30" },
          },
        },
      ])
      .returning({ id: centres.id, code: centres.code });
    for (const c of inserted) centreIds[c.code] = c.id;
    await tx.insert(applicationWindows).values({
      name: "Demo window",
      opensAt: new Date(now.getTime() - 7 * day),
      closesAt: new Date(now.getTime() + 60 * day),
      cap: 5000,
    });
    const orgs = await tx.insert(organisations).values(demoOrganisations).returning({ id: organisations.id });
    await tx
      .insert(helperUsers)
      .values(
        helpers.map(({ org, ...h }) => ({ ...h, organisationId: orgs[org]?.id as string, passwordHash })),
      );
    await tx.insert(staffUsers).values(staff.map((s) => ({ ...s, passwordHash })));

    const nationalities = ["AF", "ER", "SD", "IR", "SY", "IQ", "VN", "IN"];
    await tx.insert(returnCases).values(
      Array.from({ length: 14 }, (_, i) => {
        const fullName = `Demo Returned Person ${i + 1}`;
        const dateOfBirth = `199${i % 10}-0${(i % 9) + 1}-1${i % 10}`;
        const nationality = nationalities[i % nationalities.length] as string;
        const arrival = new Date(now.getTime() - (70 - i * 4) * day);
        const transferred = i < 10;
        return {
          personRef: `RET-DEMO-${String(i + 1).padStart(3, "0")}`,
          identityEnc: encryptJson({ fullName, dateOfBirth, nationality, documentNumber: `X${1000 + i}` }),
          nationality,
          identityHash: blindIndex("identity", identityKey(fullName, dateOfBirth, nationality)),
          documentHash: blindIndex("document", documentKey(nationality, `X${1000 + i}`)),
          stage: transferred ? ("transferred" as const) : ("readmission_requested" as const),
          smallBoatArrivalAt: arrival,
          readmissionRequestedAt: new Date(arrival.getTime() + 3 * day),
          franceRespondedAt: transferred ? new Date(arrival.getTime() + 12 * day) : null,
          removalDirectionsAt: transferred ? new Date(arrival.getTime() + 20 * day) : null,
          transferredAt: transferred ? new Date(arrival.getTime() + 25 * day) : null,
        };
      }),
    );
    await seedDemoCases(tx, now);
    // The demo cases were inserted as submitted: the window counts them, as submissions do.
    await tx.execute(
      sql`update application_windows w set submitted_count = (select count(*) from eois e where e.window_id = w.id and e.status <> 'draft')`,
    );
    await tx.insert(slotPatterns).values(demoSlotPatterns(centreIds, wallClock(now).day));
  });
  // Four weeks of slots from the patterns, so invited demo applicants can book straight away.
  const today = wallClock(now).day;
  for (const centreId of Object.values(centreIds)) {
    await generateSlots(centreId, today, addDays(today, 28), systemActor, now);
  }
  return true;
}
