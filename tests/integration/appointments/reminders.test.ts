import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { notifications, slots } from "#db/schema";
import { decryptJson } from "~/.server/crypto.server";
import { db } from "~/.server/db.server";
import { zonedTimeToUtc } from "~/domain/appointments/appointments.rules";
import { book, cancel, generateSlots } from "~/domain/appointments/appointments.service.server";
import { queueAppointmentReminders } from "~/domain/appointments/reminders.server";
import type { Actor } from "~/domain/audit/audit.server";
import { bookingDeadline } from "~/domain/cases/cases.rules";
import { renderMessage } from "~/domain/notifications/render.server";
import { setupTestDatabase } from "../../support/db";
import { openWindowNow, testActor } from "../../support/eoi";
import { addDailyPattern, createCentre, selectedEois } from "./support";

setupTestDatabase("appointment-reminders");

// Monday 7 January 2030, 09:00 in Paris. An appointment on Wednesday 9 January at 09:00 Paris
// starts 48 hours later; at 10:00, 49 hours; on Tuesday 8 at 09:00, 24 hours.
const NOW = new Date("2030-01-07T08:00:00Z");
const staff: Actor = { type: "staff", id: "centre-admin" };
let windowId: string;
let centreId: string;

const paris = (day: string, hour: number) => zonedTimeToUtc(day, hour * 60) as Date;
async function slotAt(day: string, hour: number) {
  const [row] = await db()
    .select({ id: slots.id })
    .from(slots)
    .where(and(eq(slots.centreId, centreId), eq(slots.startsAt, paris(day, hour))));
  return row?.id as string;
}

async function bookedAt(day: string, hour: number, lang = "fr"): Promise<string> {
  const [eoiId] = await selectedEois(db(), 1, { windowId, bookingDeadline: bookingDeadline(NOW, 14), lang });
  const result = await book(eoiId as string, await slotAt(day, hour), testActor, NOW);
  if (!result.ok) throw new Error(result.reason);
  return eoiId as string;
}

const remindersOf = (eoiId: string) =>
  db()
    .select()
    .from(notifications)
    .where(and(eq(notifications.eoiId, eoiId), eq(notifications.template, "appointment.reminder")));

beforeAll(async () => {
  windowId = await openWindowNow();
  centreId = await createCentre(db(), "REM");
  await addDailyPattern(db(), centreId);
  await generateSlots(centreId, "2030-01-08", "2030-01-12", staff, NOW);
});

describe("appointment reminders", () => {
  it("are queued once, in the applicant's language, for appointments 40 to 48 hours away", async () => {
    // Reminders are checked three hours after NOW: Wednesday 09:00 is then 45 hours away (due),
    // Tuesday 10:00 22 hours (too soon: its window has passed), Thursday 09:00 69 hours (not yet).
    const due = await bookedAt("2030-01-09", 9, "ar");
    const tooSoon = await bookedAt("2030-01-08", 10);
    const tooFar = await bookedAt("2030-01-10", 9);
    const cancelled = await bookedAt("2030-01-09", 9);
    await cancel(cancelled, testActor, NOW);

    const later = new Date(NOW.getTime() + 3 * 3600_000); // Wednesday 09:00 is now 45 hours away.
    await queueAppointmentReminders(later);
    const sent = await remindersOf(due);
    expect(sent.map((n) => n.channel).sort()).toEqual(["email", "sms"]);
    expect(sent.every((n) => n.lang === "ar")).toBe(true);
    expect(await remindersOf(tooSoon)).toEqual([]);
    expect(await remindersOf(tooFar)).toEqual([]);
    expect(await remindersOf(cancelled)).toEqual([]);

    // The worker runs every few minutes: later runs inside the window queue nothing more.
    await queueAppointmentReminders(new Date(later.getTime() + 10 * 60_000));
    await queueAppointmentReminders(new Date(later.getTime() + 2 * 3600_000));
    expect(await remindersOf(due)).toHaveLength(2);

    const params = decryptJson<Record<string, string>>(sent[0]?.paramsEnc as string);
    expect(params).toMatchObject({ centre: "Centre REM", address: "1 rue REM, 75010 Paris" });
    const sms = await renderMessage("appointment.reminder", "ar", "sms", params);
    expect(sms.body).toContain("Centre REM");
    expect(sms.body).toContain(params.date as string);
    expect(sms.body).not.toContain("{{");
  });

  it("runs fine with nothing due", async () => {
    expect(await queueAppointmentReminders(new Date("2031-06-01T00:00:00Z"))).toBe(0);
  });
});
