import { and, asc, eq, gte, inArray, lt, ne, or, sql } from "drizzle-orm";
import { appointments, centreClosures, centres, eois, slotPatterns, slots } from "../../../db/schema";
import { decryptJson } from "../../.server/crypto.server";
import { db, type Executor } from "../../.server/db.server";
import { formatDate } from "../../i18n/format";
import { type Actor, audit } from "../audit/audit.server";
import { isUuid } from "../cases/cases.rules";
import { answersOf } from "../eoi/eoi.pages";
import type { EoiDocument } from "../eoi/eoi.service.server";
import { changeStatus } from "../status/status.service.server";
import { addDays, formatMinutes, wallClock, zonedTimeToUtc } from "./appointments.rules";
import { type GenerationResult, generateSlots } from "./appointments.service.server";
import {
  afterNoShow,
  centreToday,
  checkInRefusal,
  closureRefusal,
  enrolmentRefusal,
  generationRange,
  type MismatchReason,
  noShowRefusal,
  type PatternAnswers,
  patternCurrent,
  patternRemoval,
  type RecordRefusal,
} from "./centre.rules";

/**
 * Centres in the back office (issue 6): their pattern, closures and slot generation for admins
 * and centre officers, and the centre officer's day of appointments. Each write is one
 * transaction with its audit row. Appointment records lock the EOI, then the appointment (the
 * booking service's order: EOI first), and status changes go through changeStatus.
 */

const centreSubject = (id: string) => ({ type: "centre", id });
const eoiSubject = (id: string) => ({ type: "eoi", id });

export type Centre = typeof centres.$inferSelect;

export async function centreByCode(code: string): Promise<Centre | null> {
  // A code with NUL (from %00 in the URL) names no centre; PostgreSQL text cannot hold it.
  if (code.includes("\u0000")) return null;
  const [row] = await db().select().from(centres).where(eq(centres.code, code));
  return row ?? null;
}

/** Midnight at the start of a centre day (it exists in every zone we serve). */
const dayStart = (day: string, timeZone: string) => zonedTimeToUtc(day, 0, timeZone) as Date;

/** Every centre with its places and bookings over the next 7 days (today included). */
export async function listCentres(now = new Date()) {
  const rows = await db().select().from(centres).orderBy(asc(centres.name));
  return Promise.all(
    rows.map(async (centre) => {
      const today = centreToday(now, centre.timezone);
      const [counts] = await db()
        .select({
          capacity: sql<number>`coalesce(sum(${slots.capacity}) filter (where ${slots.withdrawnAt} is null), 0)::int`,
          booked: sql<number>`coalesce(sum(${slots.booked}), 0)::int`,
        })
        .from(slots)
        .where(
          and(
            eq(slots.centreId, centre.id),
            gte(slots.startsAt, dayStart(today, centre.timezone)),
            lt(slots.startsAt, dayStart(addDays(today, 7), centre.timezone)),
          ),
        );
      return { ...centre, capacity: Number(counts?.capacity ?? 0), booked: Number(counts?.booked ?? 0) };
    }),
  );
}

export interface BookingToMove {
  appointmentId: string;
  eoiId: string;
  reference: string;
  day: string;
  time: string;
  startsAt: Date;
}

/** Active bookings at a centre on the given days (centre time), in time order. */
async function bookingsOn(tx: Executor, centre: Pick<Centre, "id" | "timezone">, days: string[]) {
  if (!days.length) return [];
  const ranges = days.map((d) =>
    and(
      gte(slots.startsAt, dayStart(d, centre.timezone)),
      lt(slots.startsAt, dayStart(addDays(d, 1), centre.timezone)),
    ),
  );
  const rows = await tx
    .select({
      appointmentId: appointments.id,
      eoiId: appointments.eoiId,
      reference: eois.reference,
      startsAt: slots.startsAt,
    })
    .from(appointments)
    .innerJoin(slots, eq(slots.id, appointments.slotId))
    .innerJoin(eois, eq(eois.id, appointments.eoiId))
    .where(and(eq(slots.centreId, centre.id), eq(appointments.status, "booked"), or(...ranges)))
    .orderBy(asc(slots.startsAt), asc(eois.reference));
  return rows.map((r): BookingToMove => {
    const { day, minutes } = wallClock(r.startsAt, centre.timezone);
    return { ...r, reference: r.reference ?? "", day, time: formatMinutes(minutes) };
  });
}

/** A centre's current and future pattern blocks, its coming closures with the bookings on each. */
export async function centreSetup(centre: Centre, now = new Date()) {
  const today = centreToday(now, centre.timezone);
  const patterns = (
    await db()
      .select()
      .from(slotPatterns)
      .where(eq(slotPatterns.centreId, centre.id))
      .orderBy(asc(slotPatterns.weekday), asc(slotPatterns.startTime), asc(slotPatterns.validFrom))
  ).filter((p) => patternCurrent(p, today));
  const closures = await db()
    .select()
    .from(centreClosures)
    .where(and(eq(centreClosures.centreId, centre.id), gte(centreClosures.date, today)))
    .orderBy(asc(centreClosures.date));
  const booked = await bookingsOn(
    db(),
    centre,
    closures.map((c) => c.date),
  );
  return {
    today,
    patterns: patterns.map((p) => ({
      ...p,
      startTime: p.startTime.slice(0, 5),
      endTime: p.endTime.slice(0, 5),
    })),
    closures: closures.map((c) => ({ ...c, toMove: booked.filter((b) => b.day === c.date) })),
  };
}

export async function addPattern(centreId: string, answers: PatternAnswers, actor: Actor): Promise<string> {
  return db().transaction(async (tx) => {
    const [row] = await tx
      .insert(slotPatterns)
      .values({
        centreId,
        weekday: Number(answers.weekday),
        startTime: answers.startTime,
        endTime: answers.endTime,
        slotMinutes: Number(answers.slotMinutes),
        places: Number(answers.places),
        validFrom: answers.validFrom,
        validTo: answers.validTo ?? null,
      })
      .returning({ id: slotPatterns.id });
    const id = row?.id as string;
    await audit(tx, actor, "centre.pattern_added", centreSubject(centreId), { patternId: id, ...answers });
    return id;
  });
}

/** Removes a pattern block (see patternRemoval): false if it is not this centre's, or already ended. */
export async function removePattern(
  centre: Pick<Centre, "id" | "timezone">,
  patternId: string,
  actor: Actor,
  now = new Date(),
): Promise<boolean> {
  if (!isUuid(patternId)) return false;
  const today = centreToday(now, centre.timezone);
  return db().transaction(async (tx) => {
    const [pattern] = await tx
      .select()
      .from(slotPatterns)
      .where(and(eq(slotPatterns.id, patternId), eq(slotPatterns.centreId, centre.id)))
      .for("update");
    if (!pattern || !patternCurrent(pattern, today)) return false;
    const removal = patternRemoval(pattern, today);
    if ("delete" in removal) await tx.delete(slotPatterns).where(eq(slotPatterns.id, patternId));
    else
      await tx.update(slotPatterns).set({ validTo: removal.validTo }).where(eq(slotPatterns.id, patternId));
    await audit(tx, actor, "centre.pattern_removed", centreSubject(centre.id), {
      patternId,
      weekday: pattern.weekday,
      startTime: pattern.startTime,
      endTime: pattern.endTime,
      ...("delete" in removal ? { deleted: true } : { validTo: removal.validTo }),
    });
    return true;
  });
}

export type ClosureResult =
  | { ok: true; toMove: BookingToMove[] }
  | { ok: false; reason: "past" | "already_closed" };

/**
 * Closes the centre on a day: no slots are generated on it any more. Bookings already on that
 * day are not touched; they are returned (and shown with the closure) to be moved.
 */
export async function addClosure(
  centre: Pick<Centre, "id" | "timezone">,
  date: string,
  reason: string,
  actor: Actor,
  now = new Date(),
): Promise<ClosureResult> {
  const refused = closureRefusal(date, centreToday(now, centre.timezone));
  if (refused) return { ok: false, reason: refused };
  return db().transaction(async (tx): Promise<ClosureResult> => {
    const [row] = await tx
      .insert(centreClosures)
      .values({ centreId: centre.id, date, reason })
      .onConflictDoNothing()
      .returning({ id: centreClosures.id });
    if (!row) return { ok: false, reason: "already_closed" };
    const toMove = await bookingsOn(tx, centre, [date]);
    await audit(tx, actor, "centre.closure_added", centreSubject(centre.id), {
      closureId: row.id,
      date,
      reason,
      bookingsToMove: toMove.length,
    });
    return { ok: true, toMove };
  });
}

export async function removeClosure(centreId: string, closureId: string, actor: Actor): Promise<boolean> {
  if (!isUuid(closureId)) return false;
  return db().transaction(async (tx) => {
    const [gone] = await tx
      .delete(centreClosures)
      .where(and(eq(centreClosures.id, closureId), eq(centreClosures.centreId, centreId)))
      .returning({ date: centreClosures.date, reason: centreClosures.reason });
    if (!gone) return false;
    await audit(tx, actor, "centre.closure_removed", centreSubject(centreId), { closureId, ...gone });
    return true;
  });
}

export interface CentreGeneration extends Omit<GenerationResult, "toMove"> {
  from: string;
  to: string;
  toMove: BookingToMove[];
}

/**
 * Generates the centre's slots for `weeks` weeks from today. generateSlots writes its own
 * transaction and audit row; the bookings it lists to move are given their references here.
 */
export async function generateWeeks(
  centre: Pick<Centre, "id" | "timezone">,
  weeks: number,
  actor: Actor,
  now = new Date(),
): Promise<CentreGeneration> {
  const range = generationRange(centreToday(now, centre.timezone), weeks);
  if (!range) throw new RangeError(`weeks: ${weeks}`);
  const result = await generateSlots(centre.id, range.from, range.to, actor, now);
  const ids = result.toMove.map((m) => m.eoiId);
  const refs = new Map(
    ids.length
      ? (
          await db()
            .select({ id: eois.id, reference: eois.reference })
            .from(eois)
            .where(inArray(eois.id, ids))
        ).map((r) => [r.id, r.reference ?? ""])
      : [],
  );
  return {
    ...result,
    ...range,
    toMove: result.toMove.map((m) => {
      const startsAt = new Date(m.startsAt);
      const { day, minutes } = wallClock(startsAt, centre.timezone);
      return {
        appointmentId: m.appointmentId,
        eoiId: m.eoiId,
        reference: refs.get(m.eoiId) ?? "",
        day,
        time: formatMinutes(minutes),
        startsAt,
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// The day at the centre

export interface DayAppointment {
  id: string;
  eoiId: string;
  reference: string;
  name: string;
  documentType: string | null;
  documentNumber: string | null;
  documentCountry: string | null;
  status: (typeof appointments.$inferSelect)["status"];
  eoiStatus: (typeof eois.$inferSelect)["status"];
  startsAt: Date;
  time: string;
  checkedInAt: Date | null;
  documentMatches: boolean | null;
  mismatchReason: string | null;
}

/**
 * The centre's appointments on a day (centre time), in time order, with each applicant's name
 * and identity document from their EOI, for the officer to compare with what is presented.
 * Cancelled bookings are left out. Reading it is audited ("centre.day_viewed").
 */
export async function dayAppointments(
  centre: Pick<Centre, "id" | "timezone">,
  day: string,
  actor: Actor,
): Promise<DayAppointment[]> {
  return db().transaction(async (tx) => {
    const rows = await tx
      .select({
        id: appointments.id,
        eoiId: appointments.eoiId,
        status: appointments.status,
        checkedInAt: appointments.checkedInAt,
        documentMatches: appointments.documentMatches,
        mismatchReason: appointments.mismatchReason,
        startsAt: slots.startsAt,
        reference: eois.reference,
        eoiStatus: eois.status,
        answersEnc: eois.answersEnc,
      })
      .from(appointments)
      .innerJoin(slots, eq(slots.id, appointments.slotId))
      .innerJoin(eois, eq(eois.id, appointments.eoiId))
      .where(
        and(
          eq(slots.centreId, centre.id),
          gte(slots.startsAt, dayStart(day, centre.timezone)),
          lt(slots.startsAt, dayStart(addDays(day, 1), centre.timezone)),
          ne(appointments.status, "cancelled"),
        ),
      )
      .orderBy(asc(slots.startsAt), asc(eois.reference));
    const list = rows.map(({ answersEnc, ...r }): DayAppointment => {
      const { answers } = decryptJson<EoiDocument>(answersEnc);
      const names = answersOf(answers ?? {}, "names");
      const document = answersOf(answers ?? {}, "document-details");
      return {
        ...r,
        reference: r.reference ?? "",
        name: [names?.givenNames, names?.familyName].filter(Boolean).join(" "),
        documentType: document?.documentType ?? null,
        documentNumber: document?.documentNumber ?? null,
        documentCountry: document?.documentCountry ?? null,
        time: formatMinutes(wallClock(r.startsAt, centre.timezone).minutes),
      };
    });
    await audit(tx, actor, "centre.day_viewed", centreSubject(centre.id), {
      date: day,
      appointments: list.length,
    });
    return list;
  });
}

export type RecordResult = { ok: true } | { ok: false; reason: RecordRefusal | "not_found" };

/** The appointment at this centre and its EOI, locked in the booking service's order (EOI first). */
async function lockAppointment(tx: Executor, centreId: string, appointmentId: string) {
  const [found] = await tx
    .select({ eoiId: appointments.eoiId })
    .from(appointments)
    .innerJoin(slots, eq(slots.id, appointments.slotId))
    .where(and(eq(appointments.id, appointmentId), eq(slots.centreId, centreId)));
  if (!found) return null;
  const [eoi] = await tx
    .select({ status: eois.status, lang: eois.lang, bookingDeadline: eois.bookingDeadline })
    .from(eois)
    .where(eq(eois.id, found.eoiId))
    .for("update");
  const [appointment] = await tx
    .select({
      id: appointments.id,
      eoiId: appointments.eoiId,
      slotId: appointments.slotId,
      status: appointments.status,
      checkedInAt: appointments.checkedInAt,
      startsAt: slots.startsAt,
    })
    .from(appointments)
    .innerJoin(slots, eq(slots.id, appointments.slotId))
    .where(eq(appointments.id, appointmentId))
    .for("update", { of: appointments });
  return eoi && appointment ? { eoi, appointment } : null;
}

/** Records that the applicant has arrived: the appointment becomes `attended`. */
export async function checkIn(
  centre: Pick<Centre, "id" | "timezone">,
  appointmentId: string,
  actor: Actor,
  now = new Date(),
): Promise<RecordResult> {
  if (!isUuid(appointmentId)) return { ok: false, reason: "not_found" };
  return db().transaction(async (tx): Promise<RecordResult> => {
    const locked = await lockAppointment(tx, centre.id, appointmentId);
    if (!locked) return { ok: false, reason: "not_found" };
    const { appointment } = locked;
    const refused = checkInRefusal(appointment, now, centre.timezone);
    if (refused) return { ok: false, reason: refused };
    await tx
      .update(appointments)
      .set({ status: "attended", checkedInAt: now })
      .where(eq(appointments.id, appointmentId));
    await audit(tx, actor, "appointment.checked_in", eoiSubject(appointment.eoiId), {
      appointmentId,
      centreId: centre.id,
    });
    return { ok: true };
  });
}

export type EnrolmentAnswer = { matches: true } | { matches: false; reason: MismatchReason };

/**
 * Records the enrolment and whether the identity document presented matches the EOI (R-ID-2).
 * A match: the appointment is `enrolled` and the EOI moves to `biometrics_enrolled`. A mismatch:
 * the appointment records it (`attended`, with the reason) and the EOI stays as it is, for a
 * caseworker to decide.
 */
export async function recordEnrolment(
  centre: Pick<Centre, "id" | "timezone">,
  appointmentId: string,
  answer: EnrolmentAnswer,
  actor: Actor,
  now = new Date(),
): Promise<RecordResult> {
  if (!isUuid(appointmentId)) return { ok: false, reason: "not_found" };
  return db().transaction(async (tx): Promise<RecordResult> => {
    const locked = await lockAppointment(tx, centre.id, appointmentId);
    if (!locked) return { ok: false, reason: "not_found" };
    const { appointment, eoi } = locked;
    const refused = enrolmentRefusal(appointment, eoi.status, now, centre.timezone);
    if (refused) return { ok: false, reason: refused };
    await tx
      .update(appointments)
      .set({
        status: answer.matches ? "enrolled" : "attended",
        checkedInAt: appointment.checkedInAt ?? now,
        documentMatches: answer.matches,
        mismatchReason: answer.matches ? null : answer.reason,
      })
      .where(eq(appointments.id, appointmentId));
    if (answer.matches) await changeStatus(tx, appointment.eoiId, "biometrics_enrolled", actor);
    await audit(
      tx,
      actor,
      answer.matches ? "appointment.enrolled" : "appointment.document_mismatch",
      eoiSubject(appointment.eoiId),
      { appointmentId, centreId: centre.id, ...(answer.matches ? {} : { reason: answer.reason }) },
    );
    return { ok: true };
  });
}

export type NoShowResult = { ok: true; rebook: boolean } | { ok: false; reason: RecordRefusal | "not_found" };

/**
 * Records a no-show once the slot has started: the appointment becomes `no_show` (its place is
 * not given back: the time has gone) and the EOI returns to `selected` (reason `no_show`). A
 * missed appointment may be rebooked once: the booking period is then extended by the default
 * period; after that the applicant cannot book again and a caseworker decides.
 */
export async function recordNoShow(
  centre: Pick<Centre, "id" | "timezone">,
  appointmentId: string,
  actor: Actor,
  now = new Date(),
): Promise<NoShowResult> {
  if (!isUuid(appointmentId)) return { ok: false, reason: "not_found" };
  return db().transaction(async (tx): Promise<NoShowResult> => {
    const locked = await lockAppointment(tx, centre.id, appointmentId);
    if (!locked) return { ok: false, reason: "not_found" };
    const { appointment, eoi } = locked;
    const refused = noShowRefusal(appointment, eoi.status, now);
    if (refused) return { ok: false, reason: refused };
    await tx.update(appointments).set({ status: "no_show" }).where(eq(appointments.id, appointmentId));
    const [missed] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(appointments)
      .where(and(eq(appointments.eoiId, appointment.eoiId), eq(appointments.status, "no_show")));
    const next = afterNoShow(Number(missed?.count ?? 1), eoi.bookingDeadline, now);
    if (next.rebook)
      await tx
        .update(eois)
        .set({ bookingDeadline: next.bookingDeadline })
        .where(eq(eois.id, appointment.eoiId));
    const deadline = next.rebook ? next.bookingDeadline : eoi.bookingDeadline;
    await changeStatus(tx, appointment.eoiId, "selected", actor, {
      reasonCode: "no_show",
      ...(deadline ? { params: { bookBy: formatDate(deadline, eoi.lang) } } : {}),
    });
    await audit(tx, actor, "appointment.no_show", eoiSubject(appointment.eoiId), {
      appointmentId,
      centreId: centre.id,
      noShows: Number(missed?.count ?? 1),
      rebook: next.rebook,
      ...(next.rebook ? { bookingDeadline: next.bookingDeadline.toISOString() } : {}),
    });
    return { ok: true, rebook: next.rebook };
  });
}
