import type { AppointmentStatus } from "../../../db/schema/appointments";
import type { OpeningHours } from "../../../db/schema/centres";
import type { EoiStatus } from "../status/status.rules";

/**
 * Biometric appointments (issue 6; domain.md Part A §8): slot generation from a centre's weekly
 * pattern, which slots are offered, and who may book, move or cancel. Pure: no database, no clock
 * (callers pass `now`).
 */

/** Changes (reschedules or cancellations) an applicant may make to their bookings. */
export const MAX_CHANGES = 2;
/** A missed appointment may be rebooked once (Part A §8). */
export const MAX_NO_SHOW_REBOOKS = 1;
/** A slot starting sooner than this is no longer offered: nobody could get to the centre in time. */
export const BOOKING_NOTICE_MINUTES = 60;
/** Slots are generated a few weeks ahead; a longer range is a typing mistake. */
export const MAX_GENERATION_DAYS = 120;
export const DEFAULT_TIME_ZONE = "Europe/Paris";

// ---------------------------------------------------------------------------------------------
// Calendar days and wall-clock times

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** A calendar day `YYYY-MM-DD` as UTC midnight (only for day arithmetic), or null if not a real day. */
function dayToUtc(day: string): number | null {
  const match = DAY.exec(day);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = Date.UTC(y, m - 1, d);
  const back = new Date(utc);
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? utc : null;
}

export const isDay = (day: string): boolean => dayToUtc(day) !== null;

const utcToDay = (utc: number) => new Date(utc).toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
  const utc = dayToUtc(day);
  if (utc === null) throw new RangeError(`not a day: ${day}`);
  return utcToDay(utc + days * 86_400_000);
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const utc = dayToUtc(day);
  if (utc === null) throw new RangeError(`not a day: ${day}`);
  return new Date(utc).getUTCDay() || 7;
}

/** Minutes after midnight of `HH:MM` or `HH:MM:SS` (PostgreSQL's `time`). */
export function minutesOf(time: string): number {
  const match = TIME.exec(time);
  if (!match) throw new RangeError(`not a time: ${time}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

export const formatMinutes = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The calendar day and the wall-clock minutes of an instant in a time zone. */
export function wallClock(at: Date, timeZone = DEFAULT_TIME_ZONE): { day: string; minutes: number } {
  const parts = Object.fromEntries(
    wallClockFormat(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms (Paris: +1 h winter, +2 h summer). */
function offsetMs(at: number, timeZone: string): number {
  const { day, minutes } = wallClock(new Date(at), timeZone);
  const wallAsUtc = (dayToUtc(day) as number) + minutes * 60_000;
  return wallAsUtc - Math.floor(at / 60_000) * 60_000;
}

/**
 * The instant at which the zone's clocks show `minutes` past midnight on `day`: 09:00 in Paris
 * is 08:00Z in winter and 07:00Z in summer. Null for a wall-clock time that does not exist (the
 * hour skipped when clocks go forward); in the hour repeated when they go back, the first one.
 */
export function zonedTimeToUtc(day: string, minutes: number, timeZone = DEFAULT_TIME_ZONE): Date | null {
  const base = dayToUtc(day);
  if (base === null) throw new RangeError(`not a day: ${day}`);
  const wallAsUtc = base + minutes * 60_000;
  // The offset in force a day before and a day after brackets the answer; try the earlier first.
  const candidates = [
    ...new Set([offsetMs(wallAsUtc - 86_400_000, timeZone), offsetMs(wallAsUtc + 86_400_000, timeZone)]),
  ]
    .map((offset) => wallAsUtc - offset)
    .sort((a, b) => a - b);
  for (const at of candidates) {
    const back = wallClock(new Date(at), timeZone);
    if (back.day === day && back.minutes === minutes) return new Date(at);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Slot generation

export interface SlotPatternRule {
  weekday: number;
  startTime: string;
  endTime: string;
  slotMinutes: number;
  places: number;
  validFrom: string;
  validTo: string | null;
}

export interface GeneratedSlot {
  /** Calendar day and wall-clock start in the centre's time zone. */
  day: string;
  time: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
}

/** The days from `from` to `to`, both included; throws on a bad or over-long range. */
export function daysBetween(from: string, to: string): string[] {
  const start = dayToUtc(from);
  const end = dayToUtc(to);
  if (start === null || end === null) throw new RangeError(`not a day range: ${from} – ${to}`);
  const count = Math.round((end - start) / 86_400_000) + 1;
  if (count < 1 || count > MAX_GENERATION_DAYS)
    throw new RangeError(`a range of 1 to ${MAX_GENERATION_DAYS} days, not ${count}`);
  return Array.from({ length: count }, (_, i) => utcToDay(start + i * 86_400_000));
}

/**
 * The slots a centre's weekly pattern gives from `from` to `to` (calendar days in the centre's
 * time zone, both included): each pattern valid on the day and for its weekday, back-to-back
 * slots that end by the pattern's end time, minus closed days and anything outside the
 * centre's opening hours (a weekday without hours is closed). Times are wall-clock times, so
 * DST changes move the UTC instants, not the local times. Two patterns giving the same start
 * make one slot with the larger number of places. Sorted by start.
 */
export function generateSlotTimes(input: {
  patterns: readonly SlotPatternRule[];
  closures: readonly { date: string }[];
  openingHours?: OpeningHours;
  from: string;
  to: string;
  timeZone?: string;
}): GeneratedSlot[] {
  const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
  const closed = new Set(input.closures.map((c) => c.date));
  const byStart = new Map<number, GeneratedSlot>();
  for (const day of daysBetween(input.from, input.to)) {
    if (closed.has(day)) continue;
    const weekday = isoWeekday(day);
    const hours = input.openingHours
      ? input.openingHours[String(weekday) as keyof OpeningHours]
      : { opens: "00:00", closes: "23:59" };
    if (!hours) continue;
    const [opens, closes] = [minutesOf(hours.opens), minutesOf(hours.closes)];
    for (const pattern of input.patterns) {
      if (pattern.weekday !== weekday || day < pattern.validFrom) continue;
      if (pattern.validTo !== null && day > pattern.validTo) continue;
      const end = minutesOf(pattern.endTime);
      for (
        let start = minutesOf(pattern.startTime);
        start + pattern.slotMinutes <= end;
        start += pattern.slotMinutes
      ) {
        if (start < opens || start + pattern.slotMinutes > closes) continue;
        const startsAt = zonedTimeToUtc(day, start, timeZone);
        if (!startsAt) continue;
        const slot = {
          day,
          time: formatMinutes(start),
          startsAt,
          endsAt: new Date(startsAt.getTime() + pattern.slotMinutes * 60_000),
          capacity: pattern.places,
        };
        const same = byStart.get(startsAt.getTime());
        if (!same || same.capacity < slot.capacity) byStart.set(startsAt.getTime(), slot);
      }
    }
  }
  return [...byStart.values()].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

// ---------------------------------------------------------------------------------------------
// Which slots are offered

export interface SlotState {
  startsAt: Date;
  capacity: number;
  booked: number;
  withdrawnAt: Date | null;
}

export type SlotRefusal = "slot_unavailable" | "outside_booking_period" | "full";

/**
 * Why this slot cannot be booked now by an applicant whose booking period ends at
 * `bookingDeadline`, or null if it can: not withdrawn, starting after the notice period and no
 * later than the deadline (the appointment itself is inside the invitation's booking period),
 * with a place left.
 */
export function slotRefusal(
  slot: SlotState,
  context: { now: Date; bookingDeadline: Date | null },
): SlotRefusal | null {
  if (slot.withdrawnAt) return "slot_unavailable";
  const earliest = context.now.getTime() + BOOKING_NOTICE_MINUTES * 60_000;
  const start = slot.startsAt.getTime();
  if (!context.bookingDeadline || start < earliest || start > context.bookingDeadline.getTime())
    return "outside_booking_period";
  if (slot.booked >= slot.capacity) return "full";
  return null;
}

export const offeredSlots = <T extends SlotState>(
  slots: readonly T[],
  context: { now: Date; bookingDeadline: Date | null },
): T[] => slots.filter((slot) => slotRefusal(slot, context) === null);

// ---------------------------------------------------------------------------------------------
// Booking, rescheduling, cancelling

export interface PastAppointment {
  status: AppointmentStatus;
  cancelReason: "cancelled" | "rescheduled" | "centre" | null;
}

export interface BookingHistory {
  /** Bookings the applicant gave up (moved or cancelled); the centre's cancellations do not count. */
  changesUsed: number;
  noShows: number;
  hasActive: boolean;
}

export function bookingHistory(appointments: readonly PastAppointment[]): BookingHistory {
  return {
    changesUsed: appointments.filter(
      (a) => a.cancelReason === "cancelled" || a.cancelReason === "rescheduled",
    ).length,
    noShows: appointments.filter((a) => a.status === "no_show").length,
    hasActive: appointments.some((a) => a.status === "booked"),
  };
}

export type BookingRefusal =
  | "not_invited"
  | "already_booked"
  | "booking_period_ended"
  | "change_limit"
  | "no_show_limit";

const periodOver = (deadline: Date | null, now: Date) => !deadline || now.getTime() > deadline.getTime();

/**
 * Why this applicant cannot book now, or null: only once invited (`selected`), during the
 * booking period, holding no appointment. A missed appointment may be rebooked once; an
 * applicant who cancels after using all their changes cannot book again (the cancel page says so).
 */
export function bookingRefusal(
  eoi: { status: EoiStatus; bookingDeadline: Date | null },
  history: BookingHistory,
  now: Date,
): BookingRefusal | null {
  if (eoi.status === "appointment_booked" || history.hasActive) return "already_booked";
  if (eoi.status !== "selected" || !eoi.bookingDeadline) return "not_invited";
  if (periodOver(eoi.bookingDeadline, now)) return "booking_period_ended";
  if (history.noShows > MAX_NO_SHOW_REBOOKS) return "no_show_limit";
  if (history.changesUsed > MAX_CHANGES) return "change_limit";
  return null;
}

export type ChangeRefusal = "no_appointment" | "appointment_passed" | "booking_period_ended" | "change_limit";

/**
 * Why this applicant cannot move their appointment now, or null: an active appointment that has
 * not started, the booking period still open and a change left.
 */
export function rescheduleRefusal(
  eoi: { status: EoiStatus; bookingDeadline: Date | null },
  history: BookingHistory,
  current: { startsAt: Date } | null,
  now: Date,
): ChangeRefusal | null {
  const cancelRefused = cancelRefusal(eoi, current, now);
  if (cancelRefused) return cancelRefused;
  if (periodOver(eoi.bookingDeadline, now)) return "booking_period_ended";
  if (history.changesUsed >= MAX_CHANGES) return "change_limit";
  return null;
}

/**
 * Why this appointment cannot be cancelled now, or null. Once it has started it is the centre
 * officer's to record (attended or no-show), not the applicant's to cancel.
 */
export function cancelRefusal(
  eoi: { status: EoiStatus },
  current: { startsAt: Date } | null,
  now: Date,
): "no_appointment" | "appointment_passed" | null {
  if (eoi.status !== "appointment_booked" || !current) return "no_appointment";
  if (current.startsAt.getTime() <= now.getTime()) return "appointment_passed";
  return null;
}
