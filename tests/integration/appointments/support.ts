import { centres, eois, slotPatterns } from "#db/schema";
import type { OpeningHours } from "#db/schema/centres";
import { encryptJson } from "~/.server/crypto.server";
import type { Executor } from "~/.server/db.server";
import { generateReference } from "~/domain/eoi/reference";

const everyDay: OpeningHours = Object.fromEntries(
  ["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, { opens: "08:00", closes: "18:00" }]),
);

/** A centre open every day 08:00–18:00 (Paris), with no pattern yet. */
export async function createCentre(db: Executor, code: string): Promise<string> {
  const [row] = await db
    .insert(centres)
    .values({
      code,
      name: `Centre ${code}`,
      address: `1 rue ${code}, 75010 Paris`,
      city: "Paris",
      openingHours: everyDay,
    })
    .returning({ id: centres.id });
  return row?.id as string;
}

/** The same block of slots on every day of the week (09:00–12:00, 30 minutes, 5 places unless told). */
export async function addDailyPattern(
  db: Executor,
  centreId: string,
  overrides: Partial<typeof slotPatterns.$inferInsert> = {},
): Promise<void> {
  await db.insert(slotPatterns).values(
    [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      centreId,
      weekday,
      startTime: "09:00",
      endTime: "12:00",
      slotMinutes: 30,
      places: 5,
      validFrom: "2020-01-01",
      ...overrides,
    })),
  );
}

/**
 * `count` EOIs already invited to stage two (status `selected`), inserted in one statement: what
 * the caseworker's decision leaves behind (reference, window, submission time, booking deadline),
 * with a contact so notifications are queued.
 */
export async function selectedEois(
  db: Executor,
  count: number,
  options: { windowId: string; bookingDeadline: Date; lang?: string },
): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    status: "selected" as const,
    lang: options.lang ?? "fr",
    answersEnc: encryptJson({
      contact: { email: `selected${i}@example.org`, mobile: "+33612345678" },
      answers: {},
    }),
    reference: generateReference(),
    windowId: options.windowId,
    familyRole: "alone" as const,
    submittedAt: new Date(),
    bookingDeadline: options.bookingDeadline,
  }));
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const inserted = await db
      .insert(eois)
      .values(rows.slice(i, i + 500))
      .returning({ id: eois.id });
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}
