import { type AppLoadContext, redirect } from "@remix-run/node";
import { and, asc, eq, inArray } from "drizzle-orm";
import { appointments, centres, eois, slots } from "#db/schema";
import { requireStatusSession } from "~/.server/applicant.server";
import { db } from "~/.server/db.server";
import { bookingHistory, MAX_CHANGES } from "~/domain/appointments/appointments.rules";
import type { SlotView } from "~/domain/appointments/appointments.service.server";
import { isUuid } from "~/domain/cases/cases.rules";
import { type ActiveAppointment, activeAppointment } from "~/domain/status/account.service.server";
import { PARIS } from "~/i18n/format";

/**
 * What the applicant's booking pages share (not a route: remix.config.js lists the routes).
 * Dates and times are formatted here, on the server, in the page's language and Paris time, so
 * the browser hydrates exactly what was rendered.
 */

/** The signed-in applicant, invited to book (or holding a booking), or a redirect to their status page. */
export async function requireInvited(
  request: Request,
  context: Pick<AppLoadContext, "clientIp" | "requestId">,
  lang: string,
) {
  const { eoiId, setCookie, actor, helper } = await requireStatusSession(request, context, lang);
  const [eoi] = await db()
    .select({ status: eois.status, reference: eois.reference, bookingDeadline: eois.bookingDeadline })
    .from(eois)
    .where(eq(eois.id, eoiId));
  if (!eoi || (eoi.status !== "selected" && eoi.status !== "appointment_booked"))
    throw redirect(`/${lang}/status/application`, { headers: { "Set-Cookie": setCookie } });
  const appointment = eoi.status === "appointment_booked" ? await activeAppointment(eoiId) : null;
  return { eoiId, setCookie, actor, helper, ...eoi, appointment };
}

export const listCentres = () =>
  db()
    .select({ id: centres.id, code: centres.code, name: centres.name, address: centres.address })
    .from(centres)
    .orderBy(asc(centres.name));

export async function centreByCode(code: string | undefined) {
  // A code with NUL (from %00 in the URL) names no centre; PostgreSQL text cannot hold it.
  if (!code || code.includes("\u0000")) return null;
  const [row] = await db()
    .select({
      id: centres.id,
      code: centres.code,
      name: centres.name,
      address: centres.address,
      city: centres.city,
    })
    .from(centres)
    .where(eq(centres.code, code));
  return row ?? null;
}

/** A slot and its centre, for the confirmation page. */
export async function slotWithCentre(slotId: string | null | undefined) {
  if (!slotId || !isUuid(slotId)) return null;
  const [row] = await db()
    .select({
      id: slots.id,
      startsAt: slots.startsAt,
      endsAt: slots.endsAt,
      centreId: centres.id,
      centreCode: centres.code,
      centreName: centres.name,
      address: centres.address,
      city: centres.city,
    })
    .from(slots)
    .innerJoin(centres, eq(centres.id, slots.centreId))
    .where(eq(slots.id, slotId));
  return row ?? null;
}

/** How many changes (moves, cancellations) the applicant has left. */
export async function changesLeft(eoiId: string): Promise<number> {
  const past = await db()
    .select({ status: appointments.status, cancelReason: appointments.cancelReason })
    .from(appointments)
    .where(
      and(eq(appointments.eoiId, eoiId), inArray(appointments.status, ["booked", "cancelled", "no_show"])),
    );
  return Math.max(0, MAX_CHANGES - bookingHistory(past).changesUsed);
}

/** "mardi 8 janvier 2030" for a calendar day YYYY-MM-DD. */
export function dayLabel(day: string, lang: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(lang, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** "09:30" (or "9:30 AM" in English), in Paris time. */
export function timeLabel(at: string | Date, lang: string): string {
  return new Intl.DateTimeFormat(lang, { timeStyle: "short", timeZone: PARIS }).format(new Date(at));
}

/** "mardi 8 janvier 2030" for an instant, in Paris time. */
export function dateLabel(at: string | Date, lang: string): string {
  return new Intl.DateTimeFormat(lang, {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: PARIS,
  }).format(new Date(at));
}

export interface AppointmentFacts {
  centre: string;
  address: string;
  date: string;
  time: string;
}

/** The facts shown (and tested) on the pages: centre, address, day and time. */
export function appointmentFacts(
  a: Pick<ActiveAppointment, "centreName" | "address"> & { startsAt: string | Date },
  lang: string,
): AppointmentFacts {
  return {
    centre: a.centreName,
    address: a.address,
    date: dateLabel(a.startsAt, lang),
    time: timeLabel(a.startsAt, lang),
  };
}

export interface DayGroup {
  day: string;
  label: string;
  slots: { id: string; inputId: string; time: string }[];
}

/** The offered slots grouped by day (in Paris), each day and time labelled in the page's language. */
export function groupByDay(list: SlotView[], lang: string): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const slot of list) {
    let group = groups.at(-1);
    if (group?.day !== slot.day) {
      group = { day: slot.day, label: dayLabel(slot.day, lang), slots: [] };
      groups.push(group);
    }
    group.slots.push({
      id: slot.id,
      inputId: `slot-${slot.day}-${slot.time.replace(":", "")}`,
      time: timeLabel(slot.startsAt, lang),
    });
  }
  return groups;
}
