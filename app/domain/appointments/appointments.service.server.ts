import { and, asc, eq, gt, gte, inArray, isNotNull, isNull, lt, lte, sql } from "drizzle-orm";
import { appointments, centreClosures, centres, eois, slotPatterns, slots } from "../../../db/schema";
import { decryptJson } from "../../.server/crypto.server";
import { db, type Executor } from "../../.server/db.server";
import { formatDate } from "../../i18n/format";
import { type Actor, audit } from "../audit/audit.server";
import { isUuid } from "../cases/cases.rules";
import { type Contact, enqueue } from "../notifications/outbox.server";
import { changeStatus } from "../status/status.service.server";
import {
  addDays,
  type BookingRefusal,
  bookingHistory,
  bookingRefusal,
  type ChangeRefusal,
  cancelRefusal,
  daysBetween,
  formatMinutes,
  generateSlotTimes,
  offeredSlots,
  rescheduleRefusal,
  type SlotRefusal,
  slotRefusal,
  wallClock,
  zonedTimeToUtc,
} from "./appointments.rules";

/**
 * Biometric appointments (issue 6): slot generation for a centre, and booking, moving and
 * cancelling by the applicant (or their helper). Each write is one transaction with its audit
 * row; status changes go through changeStatus, which also notifies the applicant.
 *
 * Capacity is enforced by the database. A booking takes its place with one conditional
 *
 *   UPDATE slots SET booked = booked + 1 WHERE id = $1 AND booked < capacity AND withdrawn_at IS NULL
 *
 * inside the booking transaction. Concurrent bookers of one slot queue on that row's lock; when
 * the holder commits, PostgreSQL re-checks the WHERE clause against the new row (READ COMMITTED
 * re-evaluation), so once the places are gone the UPDATE matches nothing and the booker is told
 * "full": no error, no retry loop, one round trip, and the lock is held only until the booking
 * commits. Chosen over SERIALIZABLE, where every loser of a race for the last places (hundreds
 * at a popular slot) fails with a serialisation error and must retry, and over counting the
 * appointments, which needs the same lock (or a predicate lock) and reads more. The CHECK
 * constraint `booked <= capacity` is the backstop: code that forgot the condition would fail,
 * never overbook. An applicant's own concurrent requests (a double click) queue on their EOI's
 * row lock, taken first; the partial unique index `appointments_eoi_active_uniq` backs up the
 * one-active-appointment rule.
 *
 * Lock order, to rule out deadlocks: the EOI, then slots in id order (generation: the centre,
 * then its slots in id order).
 */

export interface SlotView {
  id: string;
  centreId: string;
  startsAt: string;
  endsAt: string;
  /** Calendar day and start time in the centre's time zone (Europe/Paris). */
  day: string;
  time: string;
  remaining: number;
}

export type BookingResult =
  | { ok: true; appointmentId: string; slot: SlotView }
  | { ok: false; reason: BookingRefusal | SlotRefusal | "not_found" };

export type RescheduleResult =
  | { ok: true; appointmentId: string; slot: SlotView }
  | { ok: false; reason: ChangeRefusal | SlotRefusal | "same_slot" | "not_found" };

export type CancelResult = { ok: true } | { ok: false; reason: ChangeRefusal | "not_found" };

const eoiSubject = (id: string) => ({ type: "eoi", id });

function slotView(
  slot: { id: string; centreId: string; startsAt: Date; endsAt: Date; capacity: number; booked: number },
  timeZone: string,
): SlotView {
  const { day, minutes } = wallClock(slot.startsAt, timeZone);
  return {
    id: slot.id,
    centreId: slot.centreId,
    startsAt: slot.startsAt.toISOString(),
    endsAt: slot.endsAt.toISOString(),
    day,
    time: formatMinutes(minutes),
    remaining: Math.max(0, slot.capacity - slot.booked),
  };
}

/** The EOI, locked for the rest of the transaction: one applicant's requests are taken one at a time. */
async function lockEoi(tx: Executor, eoiId: string) {
  const [row] = await tx
    .select({
      status: eois.status,
      lang: eois.lang,
      bookingDeadline: eois.bookingDeadline,
      answersEnc: eois.answersEnc,
      reference: eois.reference,
    })
    .from(eois)
    .where(eq(eois.id, eoiId))
    .for("update");
  return row;
}

async function appointmentsOf(tx: Executor, eoiId: string) {
  return tx
    .select({
      id: appointments.id,
      slotId: appointments.slotId,
      status: appointments.status,
      cancelReason: appointments.cancelReason,
    })
    .from(appointments)
    .where(eq(appointments.eoiId, eoiId))
    .orderBy(asc(appointments.createdAt));
}

async function slotWithCentre(tx: Executor, slotId: string) {
  const [row] = await tx
    .select({
      id: slots.id,
      centreId: slots.centreId,
      startsAt: slots.startsAt,
      endsAt: slots.endsAt,
      capacity: slots.capacity,
      booked: slots.booked,
      withdrawnAt: slots.withdrawnAt,
      centreName: centres.name,
      address: centres.address,
      city: centres.city,
      timeZone: centres.timezone,
    })
    .from(slots)
    .innerJoin(centres, eq(centres.id, slots.centreId))
    .where(eq(slots.id, slotId));
  return row;
}

/** Takes one place, or nothing when the slot is full or withdrawn (see the comment at the top). */
async function takePlace(tx: Executor, slotId: string) {
  const [row] = await tx
    .update(slots)
    .set({ booked: sql`${slots.booked} + 1` })
    .where(and(eq(slots.id, slotId), lt(slots.booked, slots.capacity), isNull(slots.withdrawnAt)))
    .returning({
      id: slots.id,
      centreId: slots.centreId,
      startsAt: slots.startsAt,
      endsAt: slots.endsAt,
      capacity: slots.capacity,
      booked: slots.booked,
    });
  if (row) return { ok: true as const, slot: row };
  // Read after the lock was released: the state that made the UPDATE match nothing.
  const [now] = await tx.select({ withdrawnAt: slots.withdrawnAt }).from(slots).where(eq(slots.id, slotId));
  return {
    ok: false as const,
    reason: (!now || now.withdrawnAt ? "slot_unavailable" : "full") as SlotRefusal,
  };
}

async function releasePlace(tx: Executor, slotId: string) {
  await tx
    .update(slots)
    .set({ booked: sql`${slots.booked} - 1` })
    .where(eq(slots.id, slotId));
}

/** What the confirmation message may show: the centre, and the day and time in the applicant's language. */
function appointmentParams(
  slot: { startsAt: Date; centreName: string; address: string; city: string; timeZone: string },
  lang: string,
): Record<string, string> {
  return {
    centre: slot.centreName,
    address: slot.address,
    city: slot.city,
    date: formatDate(slot.startsAt, lang),
    time: new Intl.DateTimeFormat(lang, { timeStyle: "short", timeZone: slot.timeZone }).format(
      slot.startsAt,
    ),
    startsAt: slot.startsAt.toISOString(),
  };
}

/**
 * The partial unique index caught a second active appointment that the EOI lock should have
 * prevented. drizzle wraps the driver's error; postgres.js names the constraint
 * `constraint_name`, PGlite `constraint`.
 */
function isSecondActiveAppointment(error: unknown): boolean {
  type DbError = { code?: string; constraint_name?: string; constraint?: string; cause?: unknown };
  for (let e = error as DbError | undefined; e; e = e.cause as DbError | undefined) {
    if (e.code === "23505" && (e.constraint_name ?? e.constraint) === "appointments_eoi_active_uniq")
      return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Applicants: what they may book, booking, moving, cancelling

/**
 * The slots this applicant may book at this centre now: inside their booking period, after the
 * notice period, with a place left, not withdrawn. Empty unless they are invited (or booked,
 * to move); their current slot is left out.
 */
export async function availableSlots(eoiId: string, centreId: string, now = new Date()): Promise<SlotView[]> {
  if (!isUuid(eoiId) || !isUuid(centreId)) return [];
  const [eoi] = await db()
    .select({ status: eois.status, bookingDeadline: eois.bookingDeadline })
    .from(eois)
    .where(eq(eois.id, eoiId));
  if (!eoi?.bookingDeadline || (eoi.status !== "selected" && eoi.status !== "appointment_booked")) return [];
  const [centre] = await db()
    .select({ timeZone: centres.timezone })
    .from(centres)
    .where(eq(centres.id, centreId));
  if (!centre) return [];
  const [active] = await db()
    .select({ slotId: appointments.slotId })
    .from(appointments)
    .where(and(eq(appointments.eoiId, eoiId), eq(appointments.status, "booked")));
  const rows = await db()
    .select()
    .from(slots)
    .where(
      and(
        eq(slots.centreId, centreId),
        gt(slots.startsAt, now),
        lte(slots.startsAt, eoi.bookingDeadline),
        isNull(slots.withdrawnAt),
        lt(slots.booked, slots.capacity),
      ),
    )
    .orderBy(asc(slots.startsAt));
  return offeredSlots(rows, { now, bookingDeadline: eoi.bookingDeadline })
    .filter((slot) => slot.id !== active?.slotId)
    .map((slot) => slotView(slot, centre.timeZone));
}

/**
 * Books a place for an invited applicant: the EOI must be `selected`, inside its booking period
 * and hold no appointment; the slot must be offered to them. Moves the EOI to
 * `appointment_booked` (which notifies the applicant with the centre, day and time). A full slot,
 * or any other reason not to book, is an answer, not an exception.
 */
export async function book(
  eoiId: string,
  slotId: string,
  actor: Actor,
  now = new Date(),
): Promise<BookingResult> {
  if (!isUuid(eoiId) || !isUuid(slotId)) return { ok: false, reason: "not_found" };
  try {
    return await db().transaction(async (tx): Promise<BookingResult> => {
      const eoi = await lockEoi(tx, eoiId);
      if (!eoi) return { ok: false, reason: "not_found" };
      const past = await appointmentsOf(tx, eoiId);
      const history = bookingHistory(past);
      const refused = bookingRefusal(eoi, history, now);
      if (refused) return { ok: false, reason: refused };

      const slot = await slotWithCentre(tx, slotId);
      if (!slot) return { ok: false, reason: "slot_unavailable" };
      const unavailable = slotRefusal(slot, { now, bookingDeadline: eoi.bookingDeadline });
      if (unavailable) return { ok: false, reason: unavailable };

      const place = await takePlace(tx, slotId);
      if (!place.ok) return { ok: false, reason: place.reason };
      const [appointment] = await tx
        .insert(appointments)
        .values({ eoiId, slotId, rescheduleCount: history.changesUsed })
        .returning({ id: appointments.id });
      const appointmentId = appointment?.id as string;
      await changeStatus(tx, eoiId, "appointment_booked", actor, {
        params: appointmentParams(slot, eoi.lang),
      });
      await audit(tx, actor, "appointment.booked", eoiSubject(eoiId), {
        appointmentId,
        slotId,
        centreId: slot.centreId,
        startsAt: slot.startsAt.toISOString(),
      });
      return { ok: true, appointmentId, slot: slotView(place.slot, slot.timeZone) };
    });
  } catch (error) {
    if (isSecondActiveAppointment(error)) return { ok: false, reason: "already_booked" };
    throw error;
  }
}

/** The applicant's active appointment with its slot's start, from a list of their appointments. */
async function activeOf(tx: Executor, past: Awaited<ReturnType<typeof appointmentsOf>>) {
  const active = past.find((a) => a.status === "booked");
  if (!active) return null;
  const [slot] = await tx.select({ startsAt: slots.startsAt }).from(slots).where(eq(slots.id, active.slotId));
  return slot ? { ...active, startsAt: slot.startsAt } : null;
}

/**
 * Moves the applicant's appointment to another slot (limited to MAX_CHANGES): the new place is
 * taken before the old one is given back, in one transaction, so a full slot leaves the booking
 * as it was. The old row is cancelled ("rescheduled") and the new one points back at it. The
 * status stays `appointment_booked`; the applicant gets a new confirmation.
 */
export async function reschedule(
  eoiId: string,
  newSlotId: string,
  actor: Actor,
  now = new Date(),
): Promise<RescheduleResult> {
  if (!isUuid(eoiId) || !isUuid(newSlotId)) return { ok: false, reason: "not_found" };
  return db().transaction(async (tx): Promise<RescheduleResult> => {
    const eoi = await lockEoi(tx, eoiId);
    if (!eoi) return { ok: false, reason: "not_found" };
    const past = await appointmentsOf(tx, eoiId);
    const history = bookingHistory(past);
    const current = await activeOf(tx, past);
    const refused = rescheduleRefusal(eoi, history, current, now);
    if (refused || !current) return { ok: false, reason: refused ?? "no_appointment" };
    if (current.slotId === newSlotId) return { ok: false, reason: "same_slot" };

    const slot = await slotWithCentre(tx, newSlotId);
    if (!slot) return { ok: false, reason: "slot_unavailable" };
    const unavailable = slotRefusal(slot, { now, bookingDeadline: eoi.bookingDeadline });
    if (unavailable) return { ok: false, reason: unavailable };

    // Both slots locked in id order, like every other transaction that holds two.
    await tx
      .select({ id: slots.id })
      .from(slots)
      .where(inArray(slots.id, [current.slotId, newSlotId]))
      .orderBy(asc(slots.id))
      .for("update");
    const place = await takePlace(tx, newSlotId);
    if (!place.ok) return { ok: false, reason: place.reason };
    await releasePlace(tx, current.slotId);
    await tx
      .update(appointments)
      .set({ status: "cancelled", cancelledAt: now, cancelReason: "rescheduled" })
      .where(eq(appointments.id, current.id));
    const [appointment] = await tx
      .insert(appointments)
      .values({
        eoiId,
        slotId: newSlotId,
        rescheduleCount: history.changesUsed + 1,
        rescheduledFrom: current.id,
      })
      .returning({ id: appointments.id });
    const appointmentId = appointment?.id as string;
    // Not a status change, so changeStatus does not write to the applicant: the confirmation is
    // queued here, with the same template and values as a first booking.
    const { contact } = decryptJson<{ contact?: Contact }>(eoi.answersEnc);
    await enqueue(tx, {
      dedupeKey: `appointment:${appointmentId}`,
      contact: contact ?? {},
      template: "status.appointment_booked",
      lang: eoi.lang,
      params: { reference: eoi.reference ?? "", ...appointmentParams(slot, eoi.lang) },
      eoiId,
    });
    await audit(tx, actor, "appointment.rescheduled", eoiSubject(eoiId), {
      appointmentId,
      from: current.id,
      fromSlotId: current.slotId,
      slotId: newSlotId,
      centreId: slot.centreId,
      startsAt: slot.startsAt.toISOString(),
      changesUsed: history.changesUsed + 1,
    });
    return { ok: true, appointmentId, slot: slotView(place.slot, slot.timeZone) };
  });
}

/**
 * Cancels the applicant's appointment before it starts: gives the place back and returns the EOI
 * to `selected`, so they can book again inside their booking period. A cancellation by the
 * applicant or their helper counts against their changes; one by staff does not.
 */
export async function cancel(eoiId: string, actor: Actor, now = new Date()): Promise<CancelResult> {
  if (!isUuid(eoiId)) return { ok: false, reason: "not_found" };
  return db().transaction(async (tx): Promise<CancelResult> => {
    const eoi = await lockEoi(tx, eoiId);
    if (!eoi) return { ok: false, reason: "not_found" };
    const current = await activeOf(tx, await appointmentsOf(tx, eoiId));
    const refused = cancelRefusal(eoi, current, now);
    if (refused || !current) return { ok: false, reason: refused ?? "no_appointment" };

    const byApplicant = actor.type === "applicant" || actor.type === "helper";
    await releasePlace(tx, current.slotId);
    await tx
      .update(appointments)
      .set({ status: "cancelled", cancelledAt: now, cancelReason: byApplicant ? "cancelled" : "centre" })
      .where(eq(appointments.id, current.id));
    await changeStatus(tx, eoiId, "selected", actor, {
      reasonCode: "appointment_cancelled",
      // status.selected tells the applicant the date to book by.
      ...(eoi.bookingDeadline ? { params: { bookBy: formatDate(eoi.bookingDeadline, eoi.lang) } } : {}),
    });
    await audit(tx, actor, "appointment.cancelled", eoiSubject(eoiId), {
      appointmentId: current.id,
      slotId: current.slotId,
      byApplicant,
    });
    return { ok: true };
  });
}

// ---------------------------------------------------------------------------------------------
// Centres: generating slots

export interface GenerationResult {
  created: number;
  updated: number;
  deleted: number;
  withdrawn: number;
  /** Active bookings on slots the pattern or a closure no longer wants: to be moved by staff. */
  toMove: { appointmentId: string; eoiId: string; slotId: string; startsAt: string }[];
}

/**
 * Makes the centre's future slots from `from` to `to` (calendar days in its time zone) match its
 * weekly pattern, closures and opening hours. Idempotent: running it twice changes nothing the
 * second time. New slots are created; a slot whose places changed gets the new number, but
 * never fewer than it has booked; a slot no longer wanted is deleted if nobody ever booked it,
 * otherwise withdrawn (no longer offered, its bookings kept and listed in `toMove`). A changed
 * pattern therefore never drops a booking. Past slots are never touched.
 */
export async function generateSlots(
  centreId: string,
  from: string,
  to: string,
  actor: Actor,
  now = new Date(),
): Promise<GenerationResult> {
  if (actor.type !== "staff" && actor.type !== "system") throw new Error("Only staff generate slots");
  daysBetween(from, to);
  if (!isUuid(centreId)) throw new Error(`Centre ${centreId} not found`);
  return db().transaction(async (tx) => {
    // One generation per centre at a time.
    const [centre] = await tx
      .select({ openingHours: centres.openingHours, timeZone: centres.timezone })
      .from(centres)
      .where(eq(centres.id, centreId))
      .for("update");
    if (!centre) throw new Error(`Centre ${centreId} not found`);
    const patterns = await tx
      .select()
      .from(slotPatterns)
      .where(eq(slotPatterns.centreId, centreId))
      .then((rows) => rows.filter((p) => p.validFrom <= to && (p.validTo === null || p.validTo >= from)));
    const closures = await tx
      .select({ date: centreClosures.date })
      .from(centreClosures)
      .where(
        and(
          eq(centreClosures.centreId, centreId),
          gte(centreClosures.date, from),
          lte(centreClosures.date, to),
        ),
      );
    const wanted = generateSlotTimes({
      patterns,
      closures,
      openingHours: centre.openingHours,
      from,
      to,
      timeZone: centre.timeZone,
    }).filter((s) => s.startsAt.getTime() > now.getTime());

    // Midnight exists in every zone we serve (clocks change at night, but not at midnight).
    const dayStart = (day: string) => zonedTimeToUtc(day, 0, centre.timeZone) as Date;
    const inRange = and(
      eq(slots.centreId, centreId),
      gte(slots.startsAt, dayStart(from)),
      lt(slots.startsAt, dayStart(addDays(to, 1))),
      gt(slots.startsAt, now),
    );
    const existing = await tx.select().from(slots).where(inRange).orderBy(asc(slots.id)).for("update");
    const byStart = new Map(existing.map((s) => [s.startsAt.getTime(), s]));

    let created = 0;
    let updated = 0;
    for (const slot of wanted) {
      const before = byStart.get(slot.startsAt.getTime());
      if (!before) created += 1;
      else if (
        before.withdrawnAt ||
        before.endsAt.getTime() !== slot.endsAt.getTime() ||
        before.capacity !== Math.max(slot.capacity, before.booked)
      )
        updated += 1;
    }
    const values = wanted.map((s) => ({
      centreId,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      capacity: s.capacity,
    }));
    for (let i = 0; i < values.length; i += 500) {
      await tx
        .insert(slots)
        .values(values.slice(i, i + 500))
        .onConflictDoUpdate({
          target: [slots.centreId, slots.startsAt],
          set: {
            endsAt: sql`excluded.ends_at`,
            // Fewer places than are booked would break the CHECK: the bookings stand.
            capacity: sql`greatest(excluded.capacity, ${slots.booked})`,
            withdrawnAt: null,
          },
          setWhere: sql`${slots.withdrawnAt} is not null or ${slots.endsAt} <> excluded.ends_at or ${slots.capacity} <> greatest(excluded.capacity, ${slots.booked})`,
        });
    }

    const wantedStarts = new Set(wanted.map((s) => s.startsAt.getTime()));
    const stale = existing
      .filter((s) => !s.withdrawnAt && !wantedStarts.has(s.startsAt.getTime()))
      .map((s) => s.id);
    let deleted = 0;
    let withdrawn = 0;
    if (stale.length) {
      const gone = await tx
        .delete(slots)
        .where(
          and(
            inArray(slots.id, stale),
            sql`not exists (select 1 from ${appointments} where ${appointments.slotId} = ${slots.id})`,
          ),
        )
        .returning({ id: slots.id });
      deleted = gone.length;
      const kept = await tx
        .update(slots)
        .set({ withdrawnAt: now })
        .where(and(inArray(slots.id, stale), isNull(slots.withdrawnAt)))
        .returning({ id: slots.id });
      withdrawn = kept.length;
    }

    const toMove = await tx
      .select({
        appointmentId: appointments.id,
        eoiId: appointments.eoiId,
        slotId: appointments.slotId,
        startsAt: slots.startsAt,
      })
      .from(appointments)
      .innerJoin(slots, eq(slots.id, appointments.slotId))
      .where(and(inRange, isNotNull(slots.withdrawnAt), eq(appointments.status, "booked")))
      .orderBy(asc(slots.startsAt), asc(appointments.createdAt));

    const result: GenerationResult = {
      created,
      updated,
      deleted,
      withdrawn,
      toMove: toMove.map((m) => ({ ...m, startsAt: m.startsAt.toISOString() })),
    };
    await audit(
      tx,
      actor,
      "centre.slots_generated",
      { type: "centre", id: centreId },
      { from, to, created, updated, deleted, withdrawn, toMove: toMove.length },
    );
    return result;
  });
}
