import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  appointments,
  auditLog,
  centreClosures,
  eois,
  notifications,
  slotPatterns,
  slots,
  statusHistory,
} from "#db/schema";
import { decryptJson } from "~/.server/crypto.server";
import { db } from "~/.server/db.server";
import { zonedTimeToUtc } from "~/domain/appointments/appointments.rules";
import {
  availableSlots,
  book,
  cancel,
  generateSlots,
  reschedule,
} from "~/domain/appointments/appointments.service.server";
import type { Actor } from "~/domain/audit/audit.server";
import { bookingDeadline } from "~/domain/cases/cases.rules";
import { formatDate } from "~/i18n/format";
import { setupTestDatabase } from "../../support/db";
import { openWindowNow, testActor } from "../../support/eoi";
import { addDailyPattern, createCentre, selectedEois } from "./support";

setupTestDatabase("appointments");

// A fixed clock: Monday 7 January 2030, 09:00 in Paris (UTC+1 in winter). The invitation's
// booking period runs to the end of Monday 21 January, Paris time.
const NOW = new Date("2030-01-07T08:00:00Z");
const DEADLINE = bookingDeadline(NOW, 14);
const FROM = "2030-01-08";
const TO = "2030-01-25";

const staff: Actor = { type: "staff", id: "centre-admin" };
const applicant = testActor;

let windowId: string;
let centreId: string;

/** The instant of a Paris wall-clock time. */
const paris = (day: string, time: string) => {
  const [h, m] = time.split(":").map(Number) as [number, number];
  return zonedTimeToUtc(day, h * 60 + m) as Date;
};

async function slotAt(centre: string, day: string, time: string) {
  const [row] = await db()
    .select()
    .from(slots)
    .where(and(eq(slots.centreId, centre), eq(slots.startsAt, paris(day, time))));
  if (!row) throw new Error(`no slot at ${day} ${time}`);
  return row;
}

const slotById = async (id: string) => (await db().select().from(slots).where(eq(slots.id, id)))[0];

const statusOf = async (id: string) =>
  (await db().select({ status: eois.status }).from(eois).where(eq(eois.id, id)))[0]?.status;

const appointmentsOf = (eoiId: string) =>
  db().select().from(appointments).where(eq(appointments.eoiId, eoiId)).orderBy(asc(appointments.createdAt));

const auditActions = async (eoiId: string) =>
  (
    await db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.subjectType, "eoi"), eq(auditLog.subjectId, eoiId)))
      .orderBy(asc(auditLog.id))
  ).map((a) => a.action);

const messagesOf = (eoiId: string, template: string) =>
  db()
    .select()
    .from(notifications)
    .where(and(eq(notifications.eoiId, eoiId), eq(notifications.template, template)));

async function invited(count = 1, deadline = DEADLINE): Promise<string[]> {
  return selectedEois(db(), count, { windowId, bookingDeadline: deadline });
}

async function oneInvited(deadline = DEADLINE): Promise<string> {
  return (await invited(1, deadline))[0] as string;
}

beforeAll(async () => {
  windowId = await openWindowNow();
  centreId = await createCentre(db(), "TST");
  await addDailyPattern(db(), centreId);
  await generateSlots(centreId, FROM, TO, staff, NOW);
});

describe("generating slots", () => {
  it("makes the pattern's slots in Paris time, once: a second run changes nothing", async () => {
    const rows = await db()
      .select()
      .from(slots)
      .where(eq(slots.centreId, centreId))
      .orderBy(asc(slots.startsAt));
    // 18 days × 6 half-hour slots from 09:00 to 12:00.
    expect(rows).toHaveLength(18 * 6);
    expect(rows[0]?.startsAt.toISOString()).toBe("2030-01-08T08:00:00.000Z");
    expect(rows[0]?.endsAt.toISOString()).toBe("2030-01-08T08:30:00.000Z");
    expect(rows.every((r) => r.capacity === 5 && r.booked === 0 && r.withdrawnAt === null)).toBe(true);

    const again = await generateSlots(centreId, FROM, TO, staff, NOW);
    expect(again).toEqual({ created: 0, updated: 0, deleted: 0, withdrawn: 0, toMove: [] });
    const audit = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "centre.slots_generated"), eq(auditLog.subjectId, centreId)))
      .orderBy(asc(auditLog.id));
    expect(audit.map((a) => a.details)).toEqual([
      expect.objectContaining({ from: FROM, to: TO, created: 108 }),
      expect.objectContaining({ created: 0, updated: 0 }),
    ]);
  });

  it("keeps Paris times when the clocks change (09:00 is 08:00Z in March, 07:00Z in April)", async () => {
    const spring = await createCentre(db(), "DST");
    await addDailyPattern(db(), spring, { endTime: "09:30" });
    const springNow = new Date("2030-03-20T12:00:00Z");
    await generateSlots(spring, "2030-03-29", "2030-04-01", staff, springNow);
    const rows = await db()
      .select()
      .from(slots)
      .where(eq(slots.centreId, spring))
      .orderBy(asc(slots.startsAt));
    expect(rows.map((r) => r.startsAt.toISOString())).toEqual([
      "2030-03-29T08:00:00.000Z",
      "2030-03-30T08:00:00.000Z",
      // Clocks go forward on Sunday 31 March 2030.
      "2030-03-31T07:00:00.000Z",
      "2030-04-01T07:00:00.000Z",
    ]);
  });

  it("is for staff only", async () => {
    await expect(generateSlots(centreId, FROM, TO, applicant, NOW)).rejects.toThrow();
  });
});

describe("booking", () => {
  it("takes a place, moves the EOI to appointment_booked and tells the applicant where and when", async () => {
    const id = await oneInvited();
    const slot = await slotAt(centreId, "2030-01-10", "10:00");
    const result = await book(id, slot.id, applicant, NOW);
    expect(result).toMatchObject({
      ok: true,
      slot: { id: slot.id, day: "2030-01-10", time: "10:00", remaining: 4 },
    });
    expect((await slotById(slot.id))?.booked).toBe(1);
    expect(await statusOf(id)).toBe("appointment_booked");
    const [appointment] = await appointmentsOf(id);
    expect(appointment).toMatchObject({ slotId: slot.id, status: "booked", rescheduleCount: 0 });

    const [history] = await db().select().from(statusHistory).where(eq(statusHistory.eoiId, id));
    expect(history).toMatchObject({ fromStatus: "selected", toStatus: "appointment_booked" });
    const sent = await messagesOf(id, "status.appointment_booked");
    expect(sent.map((m) => m.channel).sort()).toEqual(["email", "sms"]);
    expect(decryptJson<Record<string, string>>(sent[0]?.paramsEnc ?? "")).toMatchObject({
      centre: "Centre TST",
      address: "1 rue TST, 75010 Paris",
      date: formatDate(slot.startsAt, "fr"),
      time: "10:00",
      startsAt: "2030-01-10T09:00:00.000Z",
    });
    expect(await auditActions(id)).toEqual(["status.appointment_booked", "appointment.booked"]);
  });

  it("gives exactly 5 of 200 simultaneous bookers the 5 places; the rest are told the slot is full", async () => {
    const ids = await invited(200);
    const slot = await slotAt(centreId, "2030-01-11", "09:00");
    const settled = await Promise.allSettled(ids.map((id) => book(id, slot.id, applicant, NOW)));
    const failures = settled.filter((s) => s.status === "rejected");
    expect(failures).toEqual([]);
    const results = settled.map((s) => (s as PromiseFulfilledResult<Awaited<ReturnType<typeof book>>>).value);
    const booked = results.filter((r) => r.ok);
    expect(booked).toHaveLength(5);
    expect(results.filter((r) => !r.ok)).toEqual(Array(195).fill({ ok: false, reason: "full" }));

    expect(await slotById(slot.id)).toMatchObject({ booked: 5, capacity: 5 });
    const onSlot = await db()
      .select({ eoiId: appointments.eoiId })
      .from(appointments)
      .where(and(eq(appointments.slotId, slot.id), eq(appointments.status, "booked")));
    expect(onSlot).toHaveLength(5);
    const statuses = await db()
      .select({ status: eois.status, n: sql<number>`count(*)::int` })
      .from(eois)
      .where(inArray(eois.id, ids))
      .groupBy(eois.status)
      .orderBy(eois.status);
    expect(statuses).toEqual([
      { status: "appointment_booked", n: 5 },
      { status: "selected", n: 195 },
    ]);
  });

  it("holds one active appointment per applicant, even for simultaneous requests", async () => {
    const id = await oneInvited();
    const a = await slotAt(centreId, "2030-01-14", "09:00");
    const b = await slotAt(centreId, "2030-01-14", "09:30");
    const results = await Promise.all([book(id, a.id, applicant, NOW), book(id, b.id, applicant, NOW)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: "already_booked" }]);
    expect([(await slotById(a.id))?.booked, (await slotById(b.id))?.booked].sort()).toEqual([0, 1]);
    expect(await book(id, b.id, applicant, NOW)).toEqual({ ok: false, reason: "already_booked" });
    expect((await appointmentsOf(id)).filter((x) => x.status === "booked")).toHaveLength(1);
  });

  it("has the database refuse a second active appointment and an overbooked slot (the backstops)", async () => {
    const id = await oneInvited();
    const slot = await slotAt(centreId, "2030-01-14", "10:00");
    expect((await book(id, slot.id, applicant, NOW)).ok).toBe(true);
    await expect(db().insert(appointments).values({ eoiId: id, slotId: slot.id })).rejects.toThrow();
    await expect(
      db()
        .update(slots)
        .set({ booked: sql`${slots.capacity} + 1` })
        .where(eq(slots.id, slot.id)),
    ).rejects.toThrow();
    await expect(db().update(slots).set({ booked: -1 }).where(eq(slots.id, slot.id))).rejects.toThrow();
  });

  it("is only for invited applicants, inside their booking period", async () => {
    const inside = await slotAt(centreId, "2030-01-21", "11:30");
    const after = await slotAt(centreId, "2030-01-22", "09:00");
    const id = await oneInvited();
    expect(await book(id, after.id, applicant, NOW)).toEqual({ ok: false, reason: "outside_booking_period" });
    // Too soon: the slot starts within the hour.
    const soon = new Date(inside.startsAt.getTime() - 30 * 60_000);
    expect(await book(id, inside.id, applicant, soon)).toEqual({
      ok: false,
      reason: "outside_booking_period",
    });
    // After the end of the booking period.
    const late = new Date(DEADLINE.getTime() + 1);
    expect(await book(id, inside.id, applicant, late)).toEqual({ ok: false, reason: "booking_period_ended" });
    expect(await statusOf(id)).toBe("selected");
    expect(await appointmentsOf(id)).toEqual([]);
    expect((await slotById(after.id))?.booked).toBe(0);

    const [notInvited] = await invited(1);
    await db()
      .update(eois)
      .set({ status: "under_review", bookingDeadline: null })
      .where(eq(eois.id, notInvited as string));
    expect(await book(notInvited as string, inside.id, applicant, NOW)).toEqual({
      ok: false,
      reason: "not_invited",
    });
    expect(await book(crypto.randomUUID(), inside.id, applicant, NOW)).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(await book(id, crypto.randomUUID(), applicant, NOW)).toEqual({
      ok: false,
      reason: "slot_unavailable",
    });
  });

  it("offers only free slots inside the booking period, never the applicant's own", async () => {
    const id = await oneInvited();
    const offered = await availableSlots(id, centreId, NOW);
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.every((s) => s.startsAt <= DEADLINE.toISOString() && s.startsAt > NOW.toISOString())).toBe(
      true,
    );
    expect(offered.at(-1)).toMatchObject({ day: "2030-01-21", time: "11:30" });
    // The slot the 200 filled is not offered.
    const full = await slotAt(centreId, "2030-01-11", "09:00");
    expect(offered.some((s) => s.id === full.id)).toBe(false);

    const chosen = offered[0] as (typeof offered)[number];
    expect((await book(id, chosen.id, applicant, NOW)).ok).toBe(true);
    const now = await availableSlots(id, centreId, NOW);
    expect(now.some((s) => s.id === chosen.id)).toBe(false);
    expect(await availableSlots(crypto.randomUUID(), centreId, NOW)).toEqual([]);
  });
});

describe("rescheduling", () => {
  it("takes the new place, frees the old one and keeps the history", async () => {
    const id = await oneInvited();
    const from = await slotAt(centreId, "2030-01-15", "09:00");
    const to = await slotAt(centreId, "2030-01-16", "11:00");
    const booked = await book(id, from.id, applicant, NOW);
    expect(booked.ok).toBe(true);
    const moved = await reschedule(id, to.id, applicant, NOW);
    expect(moved).toMatchObject({ ok: true, slot: { id: to.id, day: "2030-01-16", time: "11:00" } });
    expect((await slotById(from.id))?.booked).toBe(0);
    expect((await slotById(to.id))?.booked).toBe(1);
    expect(await statusOf(id)).toBe("appointment_booked");
    const [old, current] = await appointmentsOf(id);
    expect(old).toMatchObject({ status: "cancelled", cancelReason: "rescheduled", slotId: from.id });
    expect(current).toMatchObject({
      status: "booked",
      slotId: to.id,
      rescheduleCount: 1,
      rescheduledFrom: old?.id,
    });
    // A new confirmation, with the new time.
    const sent = await messagesOf(id, "status.appointment_booked");
    expect(sent).toHaveLength(4);
    expect(sent.map((m) => decryptJson<Record<string, string>>(m.paramsEnc).time).sort()).toEqual([
      "09:00",
      "09:00",
      "11:00",
      "11:00",
    ]);
    expect(await auditActions(id)).toEqual([
      "status.appointment_booked",
      "appointment.booked",
      "appointment.rescheduled",
    ]);
  });

  it("leaves the booking as it was when the new slot is full, and stops after two changes", async () => {
    const id = await oneInvited();
    const first = await slotAt(centreId, "2030-01-17", "09:00");
    const full = await slotAt(centreId, "2030-01-11", "09:00");
    await book(id, first.id, applicant, NOW);
    expect(await reschedule(id, full.id, applicant, NOW)).toEqual({ ok: false, reason: "full" });
    expect(await reschedule(id, first.id, applicant, NOW)).toEqual({ ok: false, reason: "same_slot" });
    expect((await slotById(first.id))?.booked).toBe(1);

    const second = await slotAt(centreId, "2030-01-17", "09:30");
    const third = await slotAt(centreId, "2030-01-17", "10:00");
    expect((await reschedule(id, second.id, applicant, NOW)).ok).toBe(true);
    expect((await reschedule(id, third.id, applicant, NOW)).ok).toBe(true);
    expect(await reschedule(id, first.id, applicant, NOW)).toEqual({ ok: false, reason: "change_limit" });
    expect([(await slotById(first.id))?.booked, (await slotById(second.id))?.booked]).toEqual([0, 0]);
    expect((await slotById(third.id))?.booked).toBe(1);
  });

  it("does not deadlock when two applicants swap slots at the same moment", async () => {
    const [x, y] = (await invited(2)) as [string, string];
    const a = await slotAt(centreId, "2030-01-18", "09:00");
    const b = await slotAt(centreId, "2030-01-18", "09:30");
    await book(x, a.id, applicant, NOW);
    await book(y, b.id, applicant, NOW);
    const results = await Promise.all([
      reschedule(x, b.id, applicant, NOW),
      reschedule(y, a.id, applicant, NOW),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect([(await slotById(a.id))?.booked, (await slotById(b.id))?.booked]).toEqual([1, 1]);
  });
});

describe("cancelling", () => {
  it("frees the place and returns the EOI to selected, to book again", async () => {
    const id = await oneInvited();
    const slot = await slotAt(centreId, "2030-01-19", "09:00");
    await book(id, slot.id, applicant, NOW);
    expect(await cancel(id, applicant, NOW)).toEqual({ ok: true });
    expect((await slotById(slot.id))?.booked).toBe(0);
    expect(await statusOf(id)).toBe("selected");
    const [appointment] = await appointmentsOf(id);
    expect(appointment).toMatchObject({ status: "cancelled", cancelReason: "cancelled" });
    expect(appointment?.cancelledAt).not.toBeNull();

    const history = await db()
      .select()
      .from(statusHistory)
      .where(eq(statusHistory.eoiId, id))
      .orderBy(asc(statusHistory.at));
    expect(history.map((h) => [h.toStatus, h.reasonCode])).toEqual([
      ["appointment_booked", null],
      ["selected", "appointment_cancelled"],
    ]);
    const [message] = await messagesOf(id, "status.selected");
    expect(decryptJson<Record<string, string>>(message?.paramsEnc ?? "")).toMatchObject({
      reason: "appointment_cancelled",
      bookBy: formatDate(DEADLINE, "fr"),
    });
    expect(await auditActions(id)).toContain("appointment.cancelled");

    expect(await cancel(id, applicant, NOW)).toEqual({ ok: false, reason: "no_appointment" });
    const again = await book(id, slot.id, applicant, NOW);
    expect(again.ok).toBe(true);
    expect((await appointmentsOf(id)).at(-1)?.rescheduleCount).toBe(1);
  });

  it("is refused once the appointment has started", async () => {
    const id = await oneInvited();
    const slot = await slotAt(centreId, "2030-01-19", "09:30");
    await book(id, slot.id, applicant, NOW);
    expect(await cancel(id, applicant, slot.startsAt)).toEqual({ ok: false, reason: "appointment_passed" });
    expect((await slotById(slot.id))?.booked).toBe(1);
  });
});

describe("changing the pattern or closing a day", () => {
  it("never drops a booking: booked slots are withdrawn and listed to move, unbooked ones go", async () => {
    const centre = await createCentre(db(), "CHG");
    await addDailyPattern(db(), centre);
    await generateSlots(centre, "2030-01-08", "2030-01-10", staff, NOW);
    const [id, other] = (await invited(2)) as [string, string];
    const kept = await slotAt(centre, "2030-01-09", "09:30");
    const reduced = await slotAt(centre, "2030-01-09", "10:00");
    await book(id, kept.id, applicant, NOW);
    await book(other, reduced.id, applicant, NOW);
    // A slot once booked and then cancelled has history: it is withdrawn, not deleted.
    const history = await slotAt(centre, "2030-01-10", "11:30");
    const [third] = await invited(1);
    await book(third as string, history.id, applicant, NOW);
    await cancel(third as string, applicant, NOW);

    // New pattern: 10:00–12:00 in one-hour slots of a single place.
    await db().delete(slotPatterns).where(eq(slotPatterns.centreId, centre));
    await addDailyPattern(db(), centre, { startTime: "10:00", endTime: "12:00", slotMinutes: 60, places: 1 });
    // Book a second place at 10:00 first, so the new single place is below what is booked.
    const [fourth] = await invited(1);
    await book(fourth as string, reduced.id, applicant, NOW);

    const result = await generateSlots(centre, "2030-01-08", "2030-01-10", staff, NOW);
    // Per day, 6 old slots: 10:00 stays (new length and places), 11:00 stays (new length); the
    // other 4 go: deleted unless they have appointments on record.
    expect(result).toMatchObject({ created: 0, updated: 6, withdrawn: 2, deleted: 10 });
    expect(result.toMove).toEqual([
      {
        appointmentId: expect.any(String),
        eoiId: id,
        slotId: kept.id,
        startsAt: kept.startsAt.toISOString(),
      },
    ]);
    expect(await slotById(kept.id)).toMatchObject({ booked: 1, withdrawnAt: NOW });
    expect((await appointmentsOf(id))[0]?.status).toBe("booked");
    expect(await slotById(history.id)).toMatchObject({ booked: 0, withdrawnAt: NOW });
    // Two booked where the pattern now gives one place: both keep their place.
    expect(await slotById(reduced.id)).toMatchObject({
      booked: 2,
      capacity: 2,
      endsAt: paris("2030-01-09", "11:00"),
    });
    const other10 = await slotAt(centre, "2030-01-08", "10:00");
    expect(other10).toMatchObject({ capacity: 1, booked: 0 });

    const [fresh] = await invited(1);
    const offered = await availableSlots(fresh as string, centre, NOW);
    expect(offered.map((s) => `${s.day} ${s.time}`)).toEqual([
      "2030-01-08 10:00",
      "2030-01-08 11:00",
      "2030-01-09 11:00",
      "2030-01-10 10:00",
      "2030-01-10 11:00",
    ]);
    expect(await book(fresh as string, kept.id, applicant, NOW)).toEqual({
      ok: false,
      reason: "slot_unavailable",
    });
    // And once more: nothing left to change.
    expect(await generateSlots(centre, "2030-01-08", "2030-01-10", staff, NOW)).toMatchObject({
      created: 0,
      updated: 0,
      withdrawn: 0,
      deleted: 0,
    });
  });

  it("withdraws a closed day's slots and lists its bookings; reopening brings them back", async () => {
    const centre = await createCentre(db(), "CLO");
    await addDailyPattern(db(), centre);
    await generateSlots(centre, "2030-01-14", "2030-01-15", staff, NOW);
    const id = await oneInvited();
    const slot = await slotAt(centre, "2030-01-15", "11:00");
    await book(id, slot.id, applicant, NOW);

    const [closure] = await db()
      .insert(centreClosures)
      .values({ centreId: centre, date: "2030-01-15", reason: "Jour férié" })
      .returning({ id: centreClosures.id });
    const closed = await generateSlots(centre, "2030-01-14", "2030-01-15", staff, NOW);
    expect(closed).toMatchObject({ created: 0, deleted: 5, withdrawn: 1 });
    expect(closed.toMove.map((m) => m.eoiId)).toEqual([id]);
    expect((await availableSlots(id, centre, NOW)).map((s) => s.day)).toEqual(Array(6).fill("2030-01-14"));

    await db()
      .delete(centreClosures)
      .where(eq(centreClosures.id, closure?.id as string));
    const reopened = await generateSlots(centre, "2030-01-14", "2030-01-15", staff, NOW);
    expect(reopened).toMatchObject({ created: 5, updated: 1, toMove: [] });
    expect(await slotById(slot.id)).toMatchObject({ booked: 1, withdrawnAt: null });
  });
});
