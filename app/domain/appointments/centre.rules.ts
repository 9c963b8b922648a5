import type { AppointmentStatus } from "../../../db/schema/appointments";
import type { OpeningHours } from "../../../db/schema/centres";
import { BOOKING_DAYS, bookingDeadline } from "../cases/cases.rules";
import {
  addDays,
  DEFAULT_TIME_ZONE,
  isDay,
  MAX_GENERATION_DAYS,
  MAX_NO_SHOW_REBOOKS,
  minutesOf,
  wallClock,
} from "./appointments.rules";

/**
 * The back office of biometric appointments (issue 6): what centre staff may change about a
 * centre (its weekly pattern, closures, generating slots) and what a centre officer may record
 * about an appointment on the day (check-in, enrolment, no-show). Pure: no database, no clock.
 */

export const weekdays = ["1", "2", "3", "4", "5", "6", "7"] as const;

/** Why the identity document re-presented at the centre does not match the EOI (R-ID-2). */
export const mismatchReasons = [
  "different_document",
  "different_person",
  "document_expired",
  "other",
] as const;
export type MismatchReason = (typeof mismatchReasons)[number];

/** Slots are generated a number of whole weeks ahead, within the generation limit. */
export const MAX_GENERATION_WEEKS = Math.floor(MAX_GENERATION_DAYS / 7);
export const DEFAULT_GENERATION_WEEKS = 4;

/** Today's calendar day in the centre's time zone. */
export const centreToday = (now: Date, timeZone = DEFAULT_TIME_ZONE): string => wallClock(now, timeZone).day;

/** The days to generate for `weeks` weeks from today (both included), or null if out of range. */
export function generationRange(today: string, weeks: number): { from: string; to: string } | null {
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_GENERATION_WEEKS) return null;
  return { from: today, to: addDays(today, weeks * 7 - 1) };
}

/** The day a day page asks for (`?date=`), or today when it is missing or not a real day. */
export const dayOrToday = (asked: string | null, today: string): string =>
  asked && isDay(asked) ? asked : today;

export interface PatternAnswers {
  weekday: string;
  startTime: string;
  endTime: string;
  slotMinutes: string;
  places: string;
  validFrom: string;
  validTo?: string;
}

/**
 * Errors across a pattern block's fields, as codes by field: the block ends after it starts and
 * holds at least one slot; it is valid to on or after it is valid from. Null-free codes only.
 */
export function patternErrors(a: Partial<PatternAnswers>): Record<string, string> {
  const errors: Record<string, string> = {};
  if (a.startTime && a.endTime) {
    const [start, end] = [minutesOf(a.startTime), minutesOf(a.endTime)];
    if (end <= start) errors.endTime = "beforeStart";
    else if (a.slotMinutes && start + Number(a.slotMinutes) > end) errors.slotMinutes = "exceedsBlock";
  }
  if (a.validFrom && a.validTo && a.validTo < a.validFrom) errors.validTo = "beforeFrom";
  return errors;
}

/** A pattern block still in force on `today` or later (the others are history). */
export const patternCurrent = (p: { validTo: string | null }, today: string): boolean =>
  p.validTo === null || p.validTo >= today;

/**
 * How a pattern block is removed: one that has not started yet is deleted; one already in force
 * ends yesterday, so the days it made stay on record. Today's and later slots go when slots are
 * next generated, and any booking on them is listed to move, never dropped.
 */
export function patternRemoval(
  p: { validFrom: string },
  today: string,
): { delete: true } | { validTo: string } {
  return p.validFrom >= today ? { delete: true } : { validTo: addDays(today, -1) };
}

/** A closure must be today or later: a past day has nothing left to close. */
export const closureRefusal = (date: string, today: string): "past" | null => (date < today ? "past" : null);

/** Opening hours as rows, Monday first; a weekday without hours is closed. */
export function openingHoursRows(hours: OpeningHours): { weekday: string; opens: string; closes: string }[] {
  return weekdays.flatMap((weekday) => {
    const h = hours[weekday];
    return h ? [{ weekday, opens: h.opens, closes: h.closes }] : [];
  });
}

/** An ISO weekday's name in a language (1 January 2024 was a Monday). */
export const weekdayName = (weekday: string | number, lang: string): string =>
  new Intl.DateTimeFormat(lang, { weekday: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(2024, 0, Number(weekday))),
  );

// ---------------------------------------------------------------------------------------------
// At the centre

export type RecordRefusal =
  | "not_booked"
  | "not_today"
  | "not_started"
  | "already_recorded"
  | "not_awaiting_enrolment";

interface AppointmentState {
  status: AppointmentStatus;
  startsAt: Date;
}

/** A booked appointment may be checked in on its day (centre time). */
export function checkInRefusal(
  a: AppointmentState,
  now: Date,
  timeZone = DEFAULT_TIME_ZONE,
): RecordRefusal | null {
  if (a.status !== "booked") return a.status === "cancelled" ? "not_booked" : "already_recorded";
  if (wallClock(a.startsAt, timeZone).day !== centreToday(now, timeZone)) return "not_today";
  return null;
}

/**
 * Enrolment is recorded on the appointment's day for someone booked or checked in (an officer
 * may record it without checking in first: the check-in is then recorded with it), and only
 * while the application awaits its biometrics.
 */
export function enrolmentRefusal(
  a: AppointmentState,
  eoiStatus: string,
  now: Date,
  timeZone = DEFAULT_TIME_ZONE,
): RecordRefusal | null {
  if (a.status === "cancelled") return "not_booked";
  if (a.status !== "booked" && a.status !== "attended") return "already_recorded";
  if (wallClock(a.startsAt, timeZone).day !== centreToday(now, timeZone)) return "not_today";
  if (eoiStatus !== "appointment_booked") return "not_awaiting_enrolment";
  return null;
}

/** A no-show is recorded once the slot has started, for someone booked and not checked in. */
export function noShowRefusal(a: AppointmentState, eoiStatus: string, now: Date): RecordRefusal | null {
  if (a.status === "cancelled") return "not_booked";
  if (a.status !== "booked") return "already_recorded";
  if (now.getTime() < a.startsAt.getTime()) return "not_started";
  if (eoiStatus !== "appointment_booked") return "not_awaiting_enrolment";
  return null;
}

/**
 * After a no-show (counted in `noShows`), whether the applicant may book again (Part A §8: a
 * missed appointment may be rebooked once), and the booking period they get: the default
 * period from today, never shorter than what they had.
 */
export function afterNoShow(
  noShows: number,
  current: Date | null,
  now: Date,
): { rebook: true; bookingDeadline: Date } | { rebook: false } {
  if (noShows > MAX_NO_SHOW_REBOOKS) return { rebook: false };
  const extended = bookingDeadline(now, BOOKING_DAYS.default);
  return {
    rebook: true,
    bookingDeadline: current && current.getTime() > extended.getTime() ? current : extended,
  };
}
