import { and, eq, gte, lt } from "drizzle-orm";
import { appointments, centres, eois, slots } from "../../../db/schema";
import { decryptJson } from "../../.server/crypto.server";
import { db } from "../../.server/db.server";
import { formatDate } from "../../i18n/format";
import { type Contact, enqueue } from "../notifications/outbox.server";

/** Reminders go out about two days before: for appointments starting 40 to 48 hours from now. */
export const REMINDER_FROM_HOURS = 40;
export const REMINDER_TO_HOURS = 48;

/**
 * Queues the `appointment.reminder` message, in the applicant's language, for every active
 * appointment starting 40–48 hours from `now`. Run by the worker every few minutes: the window is
 * much wider than the interval, so no appointment is missed, and the dedupe key (the appointment
 * id) makes later runs queue nothing more. A moved appointment is a new row, so it gets its own
 * reminder. Returns how many appointments were looked at.
 */
export async function queueAppointmentReminders(now = new Date()): Promise<number> {
  const due = await db()
    .select({
      appointmentId: appointments.id,
      eoiId: appointments.eoiId,
      startsAt: slots.startsAt,
      centreName: centres.name,
      address: centres.address,
      city: centres.city,
      timeZone: centres.timezone,
      lang: eois.lang,
      reference: eois.reference,
      answersEnc: eois.answersEnc,
    })
    .from(appointments)
    .innerJoin(slots, eq(slots.id, appointments.slotId))
    .innerJoin(centres, eq(centres.id, slots.centreId))
    .innerJoin(eois, eq(eois.id, appointments.eoiId))
    .where(
      and(
        eq(appointments.status, "booked"),
        eq(eois.status, "appointment_booked"),
        gte(slots.startsAt, new Date(now.getTime() + REMINDER_FROM_HOURS * 3600_000)),
        lt(slots.startsAt, new Date(now.getTime() + REMINDER_TO_HOURS * 3600_000)),
      ),
    );
  if (!due.length) return 0;
  await db().transaction(async (tx) => {
    for (const row of due) {
      const { contact } = decryptJson<{ contact?: Contact }>(row.answersEnc);
      await enqueue(tx, {
        dedupeKey: `appointment-reminder:${row.appointmentId}`,
        contact: contact ?? {},
        template: "appointment.reminder",
        lang: row.lang,
        params: {
          reference: row.reference ?? "",
          centre: row.centreName,
          address: row.address,
          city: row.city,
          date: formatDate(row.startsAt, row.lang),
          time: new Intl.DateTimeFormat(row.lang, { timeStyle: "short", timeZone: row.timeZone }).format(
            row.startsAt,
          ),
          startsAt: row.startsAt.toISOString(),
        },
        eoiId: row.eoiId,
      });
    }
  });
  return due.length;
}
