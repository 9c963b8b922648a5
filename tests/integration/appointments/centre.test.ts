import type { AppLoadContext } from "@remix-run/node";
import { and, asc, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { appointments, auditLog, centres, eois, slotPatterns, slots, statusHistory } from "#db/schema";
import type { OpeningHours } from "#db/schema/centres";
import { encryptJson } from "~/.server/crypto.server";
import { db } from "~/.server/db.server";
import { addDays, wallClock, zonedTimeToUtc } from "~/domain/appointments/appointments.rules";
import { book, generateSlots } from "~/domain/appointments/appointments.service.server";
import { centreToday } from "~/domain/appointments/centre.rules";
import { bookingDeadline } from "~/domain/cases/cases.rules";
import * as centrePage from "~/routes/staff/centres/centre";
import * as dayPage from "~/routes/staff/centres/day";
import * as listPage from "~/routes/staff/centres/list";
import { setupTestDatabase } from "../../support/db";
import { openWindowNow, testActor } from "../../support/eoi";
import { routeContext, signedInStaff, staffRequest, type TestStaff } from "../../support/staff";
import { selectedEois } from "./support";

setupTestDatabase("centres");

const context = routeContext as AppLoadContext;
type Args = { request: Request; params: Record<string, string>; context: AppLoadContext };
const call = async (handler: (args: Args) => unknown, request: Request, code: string) => {
  try {
    return await handler({ request, params: { code }, context });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
};

const allDay: OpeningHours = Object.fromEntries(
  ["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, { opens: "00:00", closes: "23:59" }]),
);

let officer: TestStaff;
let admin: TestStaff;
let caseworker: TestStaff;
let auditor: TestStaff;
let windowId: string;
// Route actions read the clock. Whenever the suite runs, it is noon in Paris for these tests, so
// the day's early slots (00:00, 00:30) have started and the day is the same from start to end.
// The next noon, never an earlier one: the database's own clock (session validity) must not be ahead.
const realNow = new Date();
const noonAfter = (day: string): Date => {
  const noon = zonedTimeToUtc(day, 12 * 60) as Date;
  return noon > realNow ? noon : noonAfter(addDays(day, 1));
};
vi.useFakeTimers({ toFake: ["Date"], now: noonAfter(wallClock(realNow).day) });
afterAll(() => {
  vi.useRealTimers();
});

/** Bookings are made "three days ago" so past slots exist. */
const now = new Date();
const past = new Date(now.getTime() - 3 * 86_400_000);
const today = centreToday(now);
let counter = 0;

/** A centre open around the clock, with 30-minute slots all day (so today's first slot has started). */
async function centre(): Promise<{ id: string; code: string }> {
  counter += 1;
  const code = `T${counter}${Math.random().toString(36).slice(2, 6)}`;
  const [row] = await db()
    .insert(centres)
    .values({ code, name: `Centre ${code}`, address: `1 rue ${code}`, city: "Paris", openingHours: allDay })
    .returning({ id: centres.id });
  const id = row?.id as string;
  await db()
    .insert(slotPatterns)
    .values(
      [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
        centreId: id,
        weekday,
        startTime: "00:00",
        endTime: "23:30",
        slotMinutes: 30,
        places: 3,
        validFrom: "2020-01-01",
      })),
    );
  await generateSlots(id, addDays(today, -1), addDays(today, 14), { type: "system" }, past);
  return { id, code };
}

/** An invited applicant with a name and an identity document in their answers. */
async function applicant(n: number): Promise<{ id: string; reference: string }> {
  const [id] = await selectedEois(db(), 1, { windowId, bookingDeadline: bookingDeadline(now, 30) });
  await db()
    .update(eois)
    .set({
      answersEnc: encryptJson({
        contact: { email: `applicant${n}@example.org` },
        answers: {
          pages: {
            names: { givenNames: `Amina ${n}`, familyName: "Haddad" },
            "document-details": {
              documentType: "passport",
              documentNumber: `P${n}00123`,
              documentCountry: "SDN",
            },
          },
        },
      }),
    })
    .where(eq(eois.id, id as string));
  const [row] = await db()
    .select({ reference: eois.reference })
    .from(eois)
    .where(eq(eois.id, id as string));
  return { id: id as string, reference: row?.reference as string };
}

const paris = (day: string, time: string) => {
  const [h, m] = time.split(":").map(Number) as [number, number];
  return zonedTimeToUtc(day, h * 60 + m) as Date;
};

/** Books the applicant at day/time (as of three days ago) and returns the appointment id. */
async function bookAt(centreId: string, eoiId: string, day: string, time: string): Promise<string> {
  const [slot] = await db()
    .select({ id: slots.id })
    .from(slots)
    .where(and(eq(slots.centreId, centreId), eq(slots.startsAt, paris(day, time))));
  const result = await book(eoiId, slot?.id as string, testActor, past);
  if (!result.ok) throw new Error(`booking refused: ${result.reason}`);
  return result.appointmentId;
}

const eoiOf = async (id: string) => (await db().select().from(eois).where(eq(eois.id, id)))[0];
const appointmentOf = async (id: string) =>
  (await db().select().from(appointments).where(eq(appointments.id, id)))[0];

const dayRequest = (staff: TestStaff, code: string, form?: Record<string, string>, day = today) =>
  staffRequest(staff, `/staff/centres/${code}/day?date=${day}`, form);

beforeAll(async () => {
  windowId = await openWindowNow();
  officer = await signedInStaff("centre_officer");
  admin = await signedInStaff("admin");
  caseworker = await signedInStaff("caseworker");
  auditor = await signedInStaff("auditor");
});

describe("centres list", () => {
  it("lists centres with the next 7 days' places and bookings, and the day link for officers", async () => {
    const c = await centre();
    const a = await applicant(1);
    await bookAt(c.id, a.id, addDays(today, 1), "10:00");
    const asOfficer = (await call(listPage.loader, staffRequest(officer, "/staff/centres"), "")) as Awaited<
      ReturnType<typeof listPage.loader>
    >;
    const listed = asOfficer.centres.find((x) => x.code === c.code);
    expect(listed?.booked).toBe("1");
    expect(Number(listed?.capacity.replace(/\D/g, ""))).toBeGreaterThan(0);
    expect(listed?.hours).toHaveLength(7);
    expect(asOfficer.canRecord).toBe(true);
    const asAdmin = (await call(listPage.loader, staffRequest(admin, "/staff/centres"), "")) as Awaited<
      ReturnType<typeof listPage.loader>
    >;
    expect(asAdmin.canRecord).toBe(false);
  });
});

describe("pattern, closures and generation", () => {
  it("adds and removes a pattern block; generating again keeps the bookings and lists them to move", async () => {
    const c = await centre();
    const a = await applicant(2);
    const day = addDays(today, 2);
    await bookAt(c.id, a.id, day, "10:00");

    const [y, m, d] = addDays(today, 1).split("-");
    const added = (await call(
      centrePage.action,
      staffRequest(admin, `/staff/centres/${c.code}?view=pattern`, {
        intent: "pattern",
        weekday: "1",
        startTime: "14:00",
        endTime: "16:00",
        slotMinutes: "20",
        places: "2",
        "validFrom-day": String(Number(d)),
        "validFrom-month": String(Number(m)),
        "validFrom-year": y as string,
        "validTo-day": "",
        "validTo-month": "",
        "validTo-year": "",
      }),
      c.code,
    )) as Response;
    expect(added.status).toBe(303);
    expect(added.headers.get("Location")).toBe(`/staff/centres/${c.code}?done=pattern_added`);
    const page = (await call(
      centrePage.loader,
      staffRequest(admin, `/staff/centres/${c.code}`),
      c.code,
    )) as Awaited<ReturnType<typeof centrePage.loader>>;
    const block = page.patterns.find((p) => p.startTime === "14:00");
    expect(block).toMatchObject({ endTime: "16:00", slotMinutes: 20, places: 2, validTo: null });

    // A block that has not started yet is removed outright.
    const removed = (await call(
      centrePage.action,
      staffRequest(admin, `/staff/centres/${c.code}`, { intent: "remove-pattern", id: block?.id as string }),
      c.code,
    )) as Response;
    expect(removed.headers.get("Location")).toBe(`/staff/centres/${c.code}?done=pattern_removed`);
    expect(
      await db()
        .select()
        .from(slotPatterns)
        .where(eq(slotPatterns.id, block?.id as string)),
    ).toEqual([]);

    // The all-day blocks have started: removing one ends it yesterday. Remove them all, then generate.
    const before = await db().select().from(slotPatterns).where(eq(slotPatterns.centreId, c.id));
    for (const p of before)
      await call(
        centrePage.action,
        staffRequest(officer, `/staff/centres/${c.code}`, { intent: "remove-pattern", id: p.id }),
        c.code,
      );
    const ended = await db().select().from(slotPatterns).where(eq(slotPatterns.centreId, c.id));
    expect(ended.every((p) => p.validTo === addDays(today, -1))).toBe(true);

    const generated = (await call(
      centrePage.action,
      staffRequest(officer, `/staff/centres/${c.code}`, { intent: "generate", weeks: "2" }),
      c.code,
    )) as {
      data: {
        generated: { withdrawn: number; deleted: number; toMove: { reference: string; time: string }[] };
      };
    };
    const g = generated.data.generated;
    expect(g.withdrawn).toBe(1);
    expect(g.deleted).toBeGreaterThan(0);
    expect(g.toMove).toEqual([expect.objectContaining({ reference: a.reference, time: "10:00" })]);
    // The booking stands.
    const [kept] = await db().select().from(appointments).where(eq(appointments.eoiId, a.id));
    expect(kept?.status).toBe("booked");
    expect((await eoiOf(a.id))?.status).toBe("appointment_booked");

    const audited = await db()
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.subjectType, "centre"), eq(auditLog.subjectId, c.id)));
    expect(audited.map((r) => r.action)).toEqual(
      expect.arrayContaining(["centre.pattern_added", "centre.pattern_removed"]),
    );
  });

  it("refuses a pattern block that ends before it starts", async () => {
    const c = await centre();
    const result = (await call(
      centrePage.action,
      staffRequest(admin, `/staff/centres/${c.code}`, {
        intent: "pattern",
        weekday: "2",
        startTime: "12:00",
        endTime: "09:00",
        slotMinutes: "30",
        places: "2",
        "validFrom-day": "1",
        "validFrom-month": "1",
        "validFrom-year": "2030",
      }),
      c.code,
    )) as { data: { errors: Record<string, string> }; init: { status: number } };
    expect(result.init.status).toBe(422);
    expect(result.data.errors).toEqual({ endTime: "centres:fields.endTime.errors.beforeStart" });
  });

  it("a closure on a booked day lists the bookings to move, with reference and time", async () => {
    const c = await centre();
    const a = await applicant(3);
    const b = await applicant(4);
    const day = addDays(today, 3);
    await bookAt(c.id, a.id, day, "11:30");
    await bookAt(c.id, b.id, day, "09:00");
    const [y, m, d] = day.split("-");
    const response = (await call(
      centrePage.action,
      staffRequest(officer, `/staff/centres/${c.code}?view=closure`, {
        intent: "closure",
        "closedOn-day": String(Number(d)),
        "closedOn-month": String(Number(m)),
        "closedOn-year": y as string,
        closureReason: "Jour férié",
      }),
      c.code,
    )) as Response;
    expect(response.headers.get("Location")).toBe(`/staff/centres/${c.code}?done=closure_added`);
    const page = (await call(
      centrePage.loader,
      staffRequest(officer, `/staff/centres/${c.code}`),
      c.code,
    )) as Awaited<ReturnType<typeof centrePage.loader>>;
    expect(page.closures).toHaveLength(1);
    expect(page.closures[0]?.reason).toBe("Jour férié");
    expect(page.closures[0]?.toMove.map((x) => [x.reference, x.time])).toEqual([
      [b.reference, "09:00"],
      [a.reference, "11:30"],
    ]);

    // The same day twice is refused; generating withdraws the day's booked slots and keeps the bookings.
    const again = (await call(
      centrePage.action,
      staffRequest(officer, `/staff/centres/${c.code}`, {
        intent: "closure",
        "closedOn-day": String(Number(d)),
        "closedOn-month": String(Number(m)),
        "closedOn-year": y as string,
        closureReason: "Again",
      }),
      c.code,
    )) as { data: { errors: Record<string, string> } };
    expect(again.data.errors.closedOn).toBe("centres:fields.closedOn.errors.already_closed");
    const generated = (await call(
      centrePage.action,
      staffRequest(officer, `/staff/centres/${c.code}`, { intent: "generate", weeks: "1" }),
      c.code,
    )) as { data: { generated: { withdrawn: number; toMove: { reference: string }[] } } };
    expect(generated.data.generated.withdrawn).toBe(2);
    expect(generated.data.generated.toMove.map((x) => x.reference)).toEqual([b.reference, a.reference]);
  });
});

describe("the centre officer's day", () => {
  it("lists the day's appointments in time order with name and document, and audits the reading", async () => {
    const c = await centre();
    const a = await applicant(5);
    const b = await applicant(6);
    await bookAt(c.id, a.id, today, "01:00");
    await bookAt(c.id, b.id, today, "00:30");
    const loaded = (await call(dayPage.loader, dayRequest(officer, c.code), c.code)) as Awaited<
      ReturnType<typeof dayPage.loader>
    >;
    expect(loaded.day).toBe(today);
    expect(
      loaded.appointments.map((x) => [x.time, x.reference, x.name, x.documentType, x.documentNumber]),
    ).toEqual([
      ["00:30", b.reference, "Amina 6 Haddad", "passport", "P600123"],
      ["01:00", a.reference, "Amina 5 Haddad", "passport", "P500123"],
    ]);
    const [viewed] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "centre.day_viewed"), eq(auditLog.subjectId, c.id)));
    expect(viewed?.actorId).toBe(officer.id);
    expect(viewed?.details).toMatchObject({ date: today, appointments: 2 });
  });

  it("checks in, then records an enrolment with a matching document", async () => {
    const c = await centre();
    const a = await applicant(7);
    const id = await bookAt(c.id, a.id, today, "00:00");
    const checked = (await call(
      dayPage.action,
      dayRequest(officer, c.code, { intent: "check-in", appointment: id }),
      c.code,
    )) as Response;
    expect(checked.status).toBe(303);
    expect(checked.headers.get("Location")).toBe(
      `/staff/centres/${c.code}/day?date=${today}&done=checked_in`,
    );
    expect(await appointmentOf(id)).toMatchObject({ status: "attended", checkedInAt: expect.any(Date) });

    const enrolled = (await call(
      dayPage.action,
      dayRequest(officer, c.code, { intent: "enrol", appointment: id, documentMatches: "yes" }),
      c.code,
    )) as Response;
    expect(enrolled.headers.get("Location")).toContain("done=enrolled");
    expect(await appointmentOf(id)).toMatchObject({ status: "enrolled", documentMatches: true });
    expect((await eoiOf(a.id))?.status).toBe("biometrics_enrolled");
    const [last] = await db()
      .select()
      .from(statusHistory)
      .where(eq(statusHistory.eoiId, a.id))
      .orderBy(desc(statusHistory.at))
      .limit(1);
    expect(last).toMatchObject({
      fromStatus: "appointment_booked",
      toStatus: "biometrics_enrolled",
      actorId: officer.id,
    });
  });

  it("records a document mismatch and leaves the application for a caseworker", async () => {
    const c = await centre();
    const a = await applicant(8);
    const id = await bookAt(c.id, a.id, today, "00:00");
    const missing = (await call(
      dayPage.action,
      dayRequest(officer, c.code, { intent: "enrol", appointment: id, documentMatches: "no" }),
      c.code,
    )) as { data: { errors: Record<string, string> } };
    expect(missing.data.errors.mismatchReason).toBe("centres:fields.mismatchReason.errors.required");
    const recorded = (await call(
      dayPage.action,
      dayRequest(officer, c.code, {
        intent: "enrol",
        appointment: id,
        documentMatches: "no",
        mismatchReason: "different_document",
      }),
      c.code,
    )) as Response;
    expect(recorded.headers.get("Location")).toContain("done=mismatch");
    expect(await appointmentOf(id)).toMatchObject({
      status: "attended",
      documentMatches: false,
      mismatchReason: "different_document",
    });
    expect((await eoiOf(a.id))?.status).toBe("appointment_booked");
    const [audited] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "appointment.document_mismatch"), eq(auditLog.subjectId, a.id)));
    expect(audited?.details).toMatchObject({ appointmentId: id, reason: "different_document" });
  });

  it("records a no-show after the start: back to selected, deadline extended once, not twice", async () => {
    const c = await centre();
    const a = await applicant(9);
    const other = await applicant(11);
    const notYet = await bookAt(c.id, other.id, addDays(today, 1), "10:00");
    const early = (await call(
      dayPage.action,
      dayRequest(officer, c.code, { intent: "no-show", appointment: notYet }),
      c.code,
    )) as Response;
    expect(early.headers.get("Location")).toContain("refused=not_started");
    expect((await appointmentOf(notYet))?.status).toBe("booked");

    const missed = await bookAt(c.id, a.id, today, "00:00");
    const before = (await eoiOf(a.id))?.bookingDeadline as Date;
    const placesTaken = async () =>
      (
        await db()
          .select({ booked: slots.booked })
          .from(slots)
          .where(and(eq(slots.centreId, c.id), eq(slots.startsAt, paris(today, "00:00"))))
      )[0]?.booked;
    const bookedBefore = await placesTaken();
    const first = (await call(
      dayPage.action,
      dayRequest(officer, c.code, { intent: "no-show", appointment: missed }),
      c.code,
    )) as Response;
    expect(first.headers.get("Location")).toContain("done=no_show");
    expect((await appointmentOf(missed))?.status).toBe("no_show");
    const afterFirst = await eoiOf(a.id);
    expect(afterFirst?.status).toBe("selected");
    expect(afterFirst?.bookingDeadline?.getTime()).toBeGreaterThanOrEqual(bookingDeadline(now, 14).getTime());
    expect(afterFirst?.bookingDeadline?.getTime()).toBeGreaterThanOrEqual(before.getTime());
    const [history] = await db()
      .select()
      .from(statusHistory)
      .where(eq(statusHistory.eoiId, a.id))
      .orderBy(desc(statusHistory.at))
      .limit(1);
    expect(history).toMatchObject({ toStatus: "selected", reasonCode: "no_show" });
    // The place is not given back: the time has gone.
    expect(await placesTaken()).toBe(bookedBefore);

    // Rebooked once, missed again: no new booking period.
    const second = await bookAt(c.id, a.id, today, "00:30");
    await db()
      .update(eois)
      .set({ bookingDeadline: new Date(now.getTime() + 86_400_000) })
      .where(eq(eois.id, a.id));
    const again = (await call(
      dayPage.action,
      dayRequest(officer, c.code, { intent: "no-show", appointment: second }),
      c.code,
    )) as Response;
    expect(again.headers.get("Location")).toContain("done=no_show_final");
    const afterSecond = await eoiOf(a.id);
    expect(afterSecond?.status).toBe("selected");
    expect(afterSecond?.bookingDeadline?.getTime()).toBe(now.getTime() + 86_400_000);
    const actions = await db()
      .select({ action: auditLog.action, details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, a.id), eq(auditLog.action, "appointment.no_show")))
      .orderBy(asc(auditLog.id));
    expect(actions.map((x) => (x.details as { rebook: boolean }).rebook)).toEqual([true, false]);
  });

  it("refuses roles that may not see or change centres, and admins the day page", async () => {
    const c = await centre();
    const a = await applicant(10);
    const id = await bookAt(c.id, a.id, today, "00:00");
    for (const who of [caseworker, auditor]) {
      expect(
        ((await call(listPage.loader, staffRequest(who, "/staff/centres"), "")) as Response).status,
      ).toBe(403);
      expect(
        ((await call(centrePage.loader, staffRequest(who, `/staff/centres/${c.code}`), c.code)) as Response)
          .status,
      ).toBe(403);
      expect(
        (
          (await call(
            centrePage.action,
            staffRequest(who, `/staff/centres/${c.code}`, { intent: "generate", weeks: "1" }),
            c.code,
          )) as Response
        ).status,
      ).toBe(403);
    }
    for (const who of [admin, caseworker, auditor]) {
      expect(((await call(dayPage.loader, dayRequest(who, c.code), c.code)) as Response).status).toBe(403);
      expect(
        (
          (await call(
            dayPage.action,
            dayRequest(who, c.code, { intent: "check-in", appointment: id }),
            c.code,
          )) as Response
        ).status,
      ).toBe(403);
    }
    expect((await appointmentOf(id))?.status).toBe("booked");
    // An admin may manage the centre.
    const generated = (await call(
      centrePage.action,
      staffRequest(admin, `/staff/centres/${c.code}`, { intent: "generate", weeks: "1" }),
      c.code,
    )) as { data: { generated: unknown } };
    expect(generated.data.generated).toBeTruthy();
  });
});
