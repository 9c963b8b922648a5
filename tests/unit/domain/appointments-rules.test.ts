import { describe, expect, it } from "vitest";
import type { OpeningHours } from "#db/schema/centres";
import {
  BOOKING_NOTICE_MINUTES,
  bookingHistory,
  bookingRefusal,
  cancelRefusal,
  daysBetween,
  generateSlotTimes,
  isoWeekday,
  MAX_CHANGES,
  MAX_GENERATION_DAYS,
  offeredSlots,
  type PastAppointment,
  rescheduleRefusal,
  type SlotPatternRule,
  slotRefusal,
  wallClock,
  zonedTimeToUtc,
} from "~/domain/appointments/appointments.rules";

const weekdays: OpeningHours = {
  "1": { opens: "09:00", closes: "17:00" },
  "2": { opens: "09:00", closes: "17:00" },
  "3": { opens: "09:00", closes: "17:00" },
  "4": { opens: "09:00", closes: "17:00" },
  "5": { opens: "09:00", closes: "17:00" },
};

/** 09:00–10:00 in half-hour slots of 5 places, every weekday, from 2026. */
const mornings: SlotPatternRule[] = [1, 2, 3, 4, 5].map((weekday) => ({
  weekday,
  startTime: "09:00:00",
  endTime: "10:00:00",
  slotMinutes: 30,
  places: 5,
  validFrom: "2026-01-01",
  validTo: null,
}));

const iso = (slots: { startsAt: Date }[]) => slots.map((s) => s.startsAt.toISOString());

describe("Paris wall-clock time to UTC", () => {
  it.each([
    // day, time, UTC: winter is UTC+1, summer UTC+2
    ["2026-01-15", "09:00", "2026-01-15T08:00:00.000Z"],
    ["2026-07-15", "09:00", "2026-07-15T07:00:00.000Z"],
    // The Saturday before clocks go forward (29 March 2026, 02:00 → 03:00) and the Monday after.
    ["2026-03-28", "09:00", "2026-03-28T08:00:00.000Z"],
    ["2026-03-29", "09:00", "2026-03-29T07:00:00.000Z"],
    ["2026-03-29", "01:30", "2026-03-29T00:30:00.000Z"],
    ["2026-03-29", "03:00", "2026-03-29T01:00:00.000Z"],
    // Clocks go back on 25 October 2026 (03:00 → 02:00): 02:30 happens twice, the first is taken.
    ["2026-10-25", "02:30", "2026-10-25T00:30:00.000Z"],
    ["2026-10-25", "09:00", "2026-10-25T08:00:00.000Z"],
    ["2026-10-24", "09:00", "2026-10-24T07:00:00.000Z"],
    ["2026-12-31", "23:30", "2026-12-31T22:30:00.000Z"],
  ])("%s %s in Paris is %s", (day, time, expected) => {
    const [h, m] = time.split(":").map(Number) as [number, number];
    expect(zonedTimeToUtc(day, h * 60 + m)?.toISOString()).toBe(expected);
  });

  it("has no instant for the hour skipped when clocks go forward", () => {
    expect(zonedTimeToUtc("2026-03-29", 2 * 60 + 30)).toBeNull();
  });

  it("reads an instant back as the Paris day and time", () => {
    expect(wallClock(new Date("2026-03-30T07:00:00Z"))).toEqual({ day: "2026-03-30", minutes: 9 * 60 });
    expect(wallClock(new Date("2026-01-01T23:30:00Z"))).toEqual({ day: "2026-01-02", minutes: 30 });
  });

  it("serves another time zone too", () => {
    expect(zonedTimeToUtc("2026-07-15", 9 * 60, "Europe/London")?.toISOString()).toBe(
      "2026-07-15T08:00:00.000Z",
    );
  });
});

describe("generating slots from the weekly pattern", () => {
  it("gives back-to-back slots ending by the pattern's end, on the pattern's weekdays", () => {
    const slots = generateSlotTimes({
      patterns: mornings,
      closures: [],
      openingHours: weekdays,
      from: "2026-01-16",
      to: "2026-01-19",
    });
    // Friday 16, (Saturday and Sunday: no pattern), Monday 19 January.
    expect(slots.map((s) => [s.day, s.time, s.capacity])).toEqual([
      ["2026-01-16", "09:00", 5],
      ["2026-01-16", "09:30", 5],
      ["2026-01-19", "09:00", 5],
      ["2026-01-19", "09:30", 5],
    ]);
    expect(iso(slots.slice(0, 1))).toEqual(["2026-01-16T08:00:00.000Z"]);
    expect(slots[0]?.endsAt.toISOString()).toBe("2026-01-16T08:30:00.000Z");
  });

  it("keeps Paris times across the week the clocks go forward: 09:00 is 08:00Z, then 07:00Z", () => {
    const slots = generateSlotTimes({
      patterns: mornings.map((p) => ({ ...p, endTime: "09:30" })),
      closures: [],
      openingHours: weekdays,
      from: "2026-03-26",
      to: "2026-04-01",
    });
    expect(slots.map((s) => [s.day, s.time])).toEqual([
      ["2026-03-26", "09:00"],
      ["2026-03-27", "09:00"],
      ["2026-03-30", "09:00"],
      ["2026-03-31", "09:00"],
      ["2026-04-01", "09:00"],
    ]);
    expect(iso(slots)).toEqual([
      "2026-03-26T08:00:00.000Z",
      "2026-03-27T08:00:00.000Z",
      "2026-03-30T07:00:00.000Z",
      "2026-03-31T07:00:00.000Z",
      "2026-04-01T07:00:00.000Z",
    ]);
  });

  it("and back the week they go back", () => {
    const slots = generateSlotTimes({
      patterns: mornings.map((p) => ({ ...p, endTime: "09:30" })),
      closures: [],
      openingHours: weekdays,
      from: "2026-10-23",
      to: "2026-10-26",
    });
    expect(iso(slots)).toEqual(["2026-10-23T07:00:00.000Z", "2026-10-26T08:00:00.000Z"]);
  });

  it("skips a time that does not exist on the night clocks go forward", () => {
    const night: SlotPatternRule = {
      weekday: 7,
      startTime: "01:00",
      endTime: "04:00",
      slotMinutes: 60,
      places: 1,
      validFrom: "2026-01-01",
      validTo: null,
    };
    const slots = generateSlotTimes({
      patterns: [night],
      closures: [],
      from: "2026-03-29",
      to: "2026-03-29",
    });
    expect(slots.map((s) => s.time)).toEqual(["01:00", "03:00"]);
  });

  it("leaves out closed days", () => {
    const slots = generateSlotTimes({
      patterns: mornings,
      closures: [{ date: "2026-05-01" }, { date: "2026-05-08" }],
      openingHours: weekdays,
      from: "2026-04-30",
      to: "2026-05-08",
    });
    expect([...new Set(slots.map((s) => s.day))]).toEqual([
      "2026-04-30",
      "2026-05-04",
      "2026-05-05",
      "2026-05-06",
      "2026-05-07",
    ]);
  });

  it("keeps inside the opening hours: a weekday without hours is closed, slots end by closing time", () => {
    const slots = generateSlotTimes({
      patterns: [
        { ...(mornings[0] as SlotPatternRule), startTime: "08:00", endTime: "18:00", slotMinutes: 60 },
        { ...(mornings[0] as SlotPatternRule), weekday: 6 },
      ],
      closures: [],
      openingHours: { "1": { opens: "09:00", closes: "12:30" } },
      from: "2026-01-12",
      to: "2026-01-17",
    });
    expect(slots.map((s) => [s.day, s.time])).toEqual([
      ["2026-01-12", "09:00"],
      ["2026-01-12", "10:00"],
      ["2026-01-12", "11:00"],
    ]);
  });

  it("uses each pattern only on the days it is valid, and the larger number of places when two give one slot", () => {
    const before = { ...(mornings[0] as SlotPatternRule), validTo: "2026-01-12", places: 5 };
    const after = { ...(mornings[0] as SlotPatternRule), validFrom: "2026-01-13", places: 2 };
    const extra = { ...(mornings[0] as SlotPatternRule), endTime: "09:30", places: 8 };
    const slots = generateSlotTimes({
      patterns: [before, after, extra],
      closures: [],
      openingHours: weekdays,
      from: "2026-01-12",
      to: "2026-01-19",
    });
    expect(slots.map((s) => [s.day, s.time, s.capacity])).toEqual([
      ["2026-01-12", "09:00", 8],
      ["2026-01-12", "09:30", 5],
      ["2026-01-19", "09:00", 8],
      ["2026-01-19", "09:30", 2],
    ]);
  });

  it("refuses a bad or over-long range", () => {
    expect(daysBetween("2026-02-27", "2026-03-01")).toEqual(["2026-02-27", "2026-02-28", "2026-03-01"]);
    expect(() => daysBetween("2026-02-30", "2026-03-01")).toThrow(RangeError);
    expect(() => daysBetween("2026-03-02", "2026-03-01")).toThrow(RangeError);
    expect(() => daysBetween("2026-01-01", "2026-12-31")).toThrow(RangeError);
    expect(daysBetween("2026-01-01", "2026-04-30")).toHaveLength(MAX_GENERATION_DAYS);
    expect([isoWeekday("2026-11-23"), isoWeekday("2026-11-29")]).toEqual([1, 7]);
  });
});

describe("which slots are offered", () => {
  const now = new Date("2026-03-20T10:00:00Z");
  const bookingDeadline = new Date("2026-04-03T21:59:59.999Z"); // end of 3 April, Paris time
  const slot = (startsAt: string, booked = 0, capacity = 5, withdrawnAt: Date | null = null) => ({
    id: startsAt,
    startsAt: new Date(startsAt),
    capacity,
    booked,
    withdrawnAt,
  });

  it.each([
    ["a free slot inside the booking period", slot("2026-03-24T08:00:00Z"), null],
    ["the last place", slot("2026-03-24T08:00:00Z", 4), null],
    ["a full slot", slot("2026-03-24T08:00:00Z", 5), "full"],
    ["a withdrawn slot", slot("2026-03-24T08:00:00Z", 0, 5, now), "slot_unavailable"],
    ["a slot in the past", slot("2026-03-19T08:00:00Z"), "outside_booking_period"],
    ["a slot starting within the notice period", slot("2026-03-20T10:30:00Z"), "outside_booking_period"],
    ["a slot just after the notice period", slot("2026-03-20T11:00:00Z"), null],
    ["a slot on the last day of the period", slot("2026-04-03T15:00:00Z"), null],
    ["a slot after the booking period", slot("2026-04-04T07:00:00Z"), "outside_booking_period"],
  ])("%s", (_, s, expected) => {
    expect(slotRefusal(s, { now, bookingDeadline })).toBe(expected);
  });

  it("offers nothing without a booking period", () => {
    expect(slotRefusal(slot("2026-03-24T08:00:00Z"), { now, bookingDeadline: null })).toBe(
      "outside_booking_period",
    );
  });

  it("filters a list, keeping its order", () => {
    const list = [
      slot("2026-03-20T10:30:00Z"),
      slot("2026-03-24T08:00:00Z"),
      slot("2026-03-24T08:30:00Z", 5),
      slot("2026-04-02T08:00:00Z"),
      slot("2026-04-06T07:00:00Z"),
    ];
    expect(offeredSlots(list, { now, bookingDeadline }).map((s) => s.id)).toEqual([
      "2026-03-24T08:00:00Z",
      "2026-04-02T08:00:00Z",
    ]);
    expect(BOOKING_NOTICE_MINUTES).toBe(60);
  });
});

describe("booking, rescheduling and cancelling", () => {
  const now = new Date("2026-03-20T10:00:00Z");
  const invited = { status: "selected" as const, bookingDeadline: new Date("2026-04-03T21:59:59.999Z") };
  const booked = { ...invited, status: "appointment_booked" as const };
  const a = (status: PastAppointment["status"], cancelReason: PastAppointment["cancelReason"] = null) => ({
    status,
    cancelReason,
  });
  const soon = { startsAt: new Date("2026-03-24T08:00:00Z") };

  it("sums up an applicant's appointments", () => {
    expect(
      bookingHistory([
        a("cancelled", "rescheduled"),
        a("cancelled", "centre"),
        a("cancelled", "cancelled"),
        a("no_show"),
        a("booked"),
      ]),
    ).toEqual({ changesUsed: 2, noShows: 1, hasActive: true });
  });

  it.each([
    ["invited", invited, [], null],
    ["already booked", booked, [a("booked")], "already_booked"],
    ["holding an appointment (status lagging)", invited, [a("booked")], "already_booked"],
    ["not invited", { ...invited, status: "under_review" as const }, [], "not_invited"],
    ["invited without a booking period", { ...invited, bookingDeadline: null }, [], "not_invited"],
    [
      "after the booking period",
      { ...invited, bookingDeadline: new Date("2026-03-19T22:59:59Z") },
      [],
      "booking_period_ended",
    ],
    ["after one missed appointment (rebook once)", invited, [a("no_show")], null],
    ["after two missed appointments", invited, [a("no_show"), a("no_show")], "no_show_limit"],
    ["after cancelling, with changes left", invited, [a("cancelled", "cancelled")], null],
    [
      "after a centre's cancellation",
      invited,
      [a("cancelled", "centre"), a("cancelled", "centre"), a("cancelled", "centre")],
      null,
    ],
    [
      "after cancelling with no change left",
      invited,
      [a("cancelled", "rescheduled"), a("cancelled", "rescheduled"), a("cancelled", "cancelled")],
      "change_limit",
    ],
  ] as const)("booking: %s", (_, eoi, past, expected) => {
    expect(bookingRefusal(eoi, bookingHistory(past), now)).toBe(expected);
  });

  it.each([
    ["a booked appointment", booked, [a("booked")], soon, null],
    ["after one change", booked, [a("cancelled", "rescheduled"), a("booked")], soon, null],
    [
      `after ${MAX_CHANGES} changes`,
      booked,
      [a("cancelled", "rescheduled"), a("cancelled", "rescheduled"), a("booked")],
      soon,
      "change_limit",
    ],
    ["without an appointment", invited, [], null, "no_appointment"],
    ["once it has started", booked, [a("booked")], { startsAt: now }, "appointment_passed"],
    [
      "after the booking period",
      { ...booked, bookingDeadline: new Date("2026-03-19T22:59:59Z") },
      [a("booked")],
      soon,
      "booking_period_ended",
    ],
  ] as const)("rescheduling: %s", (_, eoi, past, current, expected) => {
    expect(rescheduleRefusal(eoi, bookingHistory(past), current, now)).toBe(expected);
  });

  it("cancelling: any time before the appointment starts, whatever the changes used", () => {
    expect(cancelRefusal(booked, soon, now)).toBeNull();
    expect(cancelRefusal(invited, null, now)).toBe("no_appointment");
    expect(cancelRefusal(booked, { startsAt: new Date(now.getTime() - 1) }, now)).toBe("appointment_passed");
  });
});
