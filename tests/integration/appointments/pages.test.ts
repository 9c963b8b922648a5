import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { appointments, eois, notifications, slots } from "#db/schema";
import { db } from "~/.server/db.server";
import { commitSession, getSession } from "~/.server/session.server";
import { addDays, wallClock } from "~/domain/appointments/appointments.rules";
import { generateSlots } from "~/domain/appointments/appointments.service.server";
import type { Actor } from "~/domain/audit/audit.server";
import * as booked from "~/routes/lang/appointments/booked";
import * as calendar from "~/routes/lang/appointments/calendar";
import * as cancelPage from "~/routes/lang/appointments/cancel";
import * as confirm from "~/routes/lang/appointments/confirm";
import * as index from "~/routes/lang/appointments/index";
import * as slotsPage from "~/routes/lang/appointments/slots";
import * as application from "~/routes/lang/status/application";
import { setupTestDatabase } from "../../support/db";
import { openWindowNow } from "../../support/eoi";
import { routeContext, staffRequest } from "../../support/staff";
import { addDailyPattern, createCentre, selectedEois } from "./support";

setupTestDatabase("appointment-pages");

// The pages use the real clock: slots from tomorrow (Paris) for a week, and a booking period
// ending in four days, so the later slots exist but must not be offered.
const staff: Actor = { type: "staff", id: "centre-admin" };
const today = wallClock(new Date()).day;
const deadline = new Date(Date.now() + 4 * 86400_000);
let windowId: string;
let paris: { id: string; code: string };

// Loaders and actions return data(...) (init + data), a Response (redirects), or throw one.
// biome-ignore lint/suspicious/noExplicitAny: route results are checked by the assertions
type Result = any;
async function run(fn: () => Promise<unknown>): Promise<Result> {
  try {
    return await fn();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
const args = (request: Request, params: Record<string, string> = {}) => ({
  request,
  params: { lang: "en", ...params },
  context: routeContext,
});
const location = (r: Result) => (r instanceof Response ? r.headers.get("Location") : null);

/** A Cookie header for an applicant signed in to the status pages, as requireStatusSession expects. */
async function signedIn(eoiId: string): Promise<{ cookie: string }> {
  const session = await getSession(new Request("http://localhost/en/status"));
  session.set("statusEoiId", eoiId);
  return { cookie: (await commitSession(session, 15)).split(";")[0] as string };
}

async function invitedApplicant(lang = "en") {
  const [id] = await selectedEois(db(), 1, { windowId, bookingDeadline: deadline, lang });
  return { id: id as string, who: await signedIn(id as string) };
}

const get = (who: { cookie: string } | null, path: string) => staffRequest(who, path);
const post = (who: { cookie: string } | null, path: string, form: Record<string, string>) =>
  staffRequest(who, path, form);

async function slotList(who: { cookie: string }, code: string, query = "") {
  const r = await run(() =>
    slotsPage.loader(args(get(who, `/en/appointments/centre/${code}${query}`), { centre: code }) as never),
  );
  return r.data as {
    days: { day: string; label: string; slots: { id: string; inputId: string; time: string }[] }[];
    error: string | null;
    others: { code: string }[];
  };
}

/** Chooses a slot, confirms it, and returns where the confirmation sent the applicant. */
async function bookThrough(who: { cookie: string }, slotId: string) {
  const page = await run(() =>
    confirm.loader(args(get(who, `/en/appointments/confirm?slot=${slotId}`)) as never),
  );
  expect(page.data.slotId).toBe(slotId);
  return run(() => confirm.action(args(post(who, "/en/appointments/confirm", { slot: slotId })) as never));
}

const activeOf = async (eoiId: string) =>
  db().select().from(appointments).where(eq(appointments.eoiId, eoiId)).orderBy(asc(appointments.createdAt));

beforeAll(async () => {
  windowId = await openWindowNow();
  paris = { id: await createCentre(db(), "PAR"), code: "PAR" };
  await createCentre(db(), "LIL");
  await addDailyPattern(db(), paris.id);
  await generateSlots(paris.id, addDays(today, 1), addDays(today, 7), staff);
  // Lille has no slots: its list is empty.
});

describe("guards", () => {
  it("sends someone not signed in to sign in, and someone not invited to their status page", async () => {
    const anonymous = await run(() => index.loader(args(get(null, "/en/appointments")) as never));
    expect(location(anonymous)).toBe("/en/status");

    const { id, who } = await invitedApplicant();
    await db().update(eois).set({ status: "under_review" }).where(eq(eois.id, id));
    for (const call of [
      () => index.loader(args(get(who, "/en/appointments")) as never),
      () => slotsPage.loader(args(get(who, "/en/appointments/centre/PAR"), { centre: "PAR" }) as never),
      () => confirm.action(args(post(who, "/en/appointments/confirm", { slot: paris.id })) as never),
    ]) {
      expect(location(await run(call))).toBe("/en/status/application");
    }
  });
});

describe("choosing a centre and a time", () => {
  it("offers the centres, and sends the chosen one to its slot list", async () => {
    const { who } = await invitedApplicant();
    const page = await run(() => index.loader(args(get(who, "/en/appointments")) as never));
    expect(page.data.mode).toBe("choose");
    expect(page.data.centres.map((c: { code: string }) => c.code).sort()).toEqual(["LIL", "PAR"]);

    const none = await run(() => index.action(args(post(who, "/en/appointments", {})) as never));
    expect(none.init.status).toBe(422);
    expect(none.data.errors).toEqual({ centre: "appointments:fields.centre.errors.required" });
    const unknown = await run(() =>
      index.action(args(post(who, "/en/appointments", { centre: "XXX" })) as never),
    );
    expect(unknown.init.status).toBe(422);

    const chosen = await run(() =>
      index.action(args(post(who, "/en/appointments", { centre: "PAR" })) as never),
    );
    expect(location(chosen)).toBe("/en/appointments/centre/PAR");
  });

  it("lists the free slots grouped by day, in Paris time, only inside the booking period", async () => {
    const { who } = await invitedApplicant();
    const { days } = await slotList(who, "PAR");
    expect(days.length).toBeGreaterThanOrEqual(3);
    expect(days.length).toBeLessThanOrEqual(5);
    const allIds = days.flatMap((d) => d.slots.map((s) => s.id));
    const rows = await db().select().from(slots).where(eq(slots.centreId, paris.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const day of days) {
      expect(day.slots.length).toBeGreaterThan(0);
      for (const slot of day.slots) {
        const row = byId.get(slot.id);
        expect(row && wallClock(row.startsAt).day).toBe(day.day);
        expect(row?.startsAt.getTime()).toBeLessThanOrEqual(deadline.getTime());
        expect(slot.inputId).toMatch(/^slot-\d{4}-\d{2}-\d{2}-\d{4}$/);
      }
      // Days in order, each labelled in English with its weekday.
      expect(day.label).toMatch(/day/);
    }
    expect(days.map((d) => d.day)).toEqual([...days.map((d) => d.day)].sort());
    // Every slot day is 09:00 to 11:30 Paris time: the first of each day reads 9:00 AM.
    expect(days[1]?.slots[0]?.time).toMatch(/^9:00\sAM$/);
    const later = rows.filter((r) => r.startsAt.getTime() > deadline.getTime());
    expect(later.length).toBeGreaterThan(0);
    expect(later.some((r) => allIds.includes(r.id))).toBe(false);
  });

  it("says so when a centre has nothing free, and suggests the other centre", async () => {
    const { who } = await invitedApplicant();
    const empty = await slotList(who, "LIL");
    expect(empty.days).toEqual([]);
    expect(empty.others.map((c) => c.code)).toEqual(["PAR"]);
  });

  it("asks for a time when none is chosen, and sends a chosen one to the confirmation", async () => {
    const { who } = await invitedApplicant();
    const { days } = await slotList(who, "PAR");
    const slotId = days[0]?.slots[0]?.id as string;
    const path = "/en/appointments/centre/PAR";
    const none = await run(() => slotsPage.action(args(post(who, path, {}), { centre: "PAR" }) as never));
    expect(none.init.status).toBe(422);
    expect(none.data.errors).toEqual({ slot: "appointments:fields.slot.errors.required" });
    const chosen = await run(() =>
      slotsPage.action(args(post(who, path, { slot: slotId }), { centre: "PAR" }) as never),
    );
    expect(location(chosen)).toBe(`/en/appointments/confirm?slot=${slotId}`);
  });
});

describe("booking", () => {
  it("books the confirmed slot, shows the confirmation and the status page links to it", async () => {
    const { id, who } = await invitedApplicant();
    const status = await run(() => application.loader(args(get(who, "/en/status/application")) as never));
    expect(status.data.status).toBe("selected");
    expect(status.data.appointment).toBeNull();

    const { days } = await slotList(who, "PAR");
    const slotId = days[1]?.slots[2]?.id as string;
    const result = await bookThrough(who, slotId);
    expect(location(result)).toBe("/en/appointments/booked");
    const [row] = await activeOf(id);
    expect(row).toMatchObject({ slotId, status: "booked" });

    const page = await run(() => booked.loader(args(get(who, "/en/appointments/booked")) as never));
    expect(page.data.facts).toMatchObject({
      centre: "Centre PAR",
      address: "1 rue PAR, 75010 Paris",
      time: expect.stringMatching(/^10:00\sAM$/),
    });
    expect(page.data.facts.date).toBe(days[1]?.label);

    const home = await run(() => index.loader(args(get(who, "/en/appointments")) as never));
    expect(home.data.mode).toBe("booked");
    expect(home.data.changesLeft).toBe(2);

    const after = await run(() => application.loader(args(get(who, "/en/status/application")) as never));
    expect(after.data.status).toBe("appointment_booked");
    expect(after.data.appointment).toMatchObject({
      centre: "Centre PAR",
      time: expect.stringMatching(/^10:00\sAM$/),
    });

    // The confirmation message carries the appointment's details.
    const [message] = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.eoiId, id), eq(notifications.template, "status.appointment_booked")));
    expect(message).toBeTruthy();
  });

  it("sends the applicant back to the list with a clear message when the place has just gone", async () => {
    const { id, who } = await invitedApplicant();
    const { days } = await slotList(who, "PAR");
    const slotId = days[0]?.slots[1]?.id as string;
    const page = await run(() =>
      confirm.loader(args(get(who, `/en/appointments/confirm?slot=${slotId}`)) as never),
    );
    expect(page.data.facts.centre).toBe("Centre PAR");
    // Someone else takes the last places while the applicant reads the summary.
    await db().update(slots).set({ booked: 5 }).where(eq(slots.id, slotId));

    const result = await run(() =>
      confirm.action(args(post(who, "/en/appointments/confirm", { slot: slotId })) as never),
    );
    expect(location(result)).toBe("/en/appointments/centre/PAR?error=full");
    expect(await activeOf(id)).toEqual([]);
    const back = await slotList(who, "PAR", "?error=full");
    expect(back.error).toBe("appointments:errors.full");
    expect(back.days.flatMap((d) => d.slots.map((s) => s.id))).not.toContain(slotId);

    // Chosen on a list that was already out of date: the same message, on the list.
    const stale = await run(() =>
      slotsPage.action(
        args(post(who, "/en/appointments/centre/PAR", { slot: slotId }), { centre: "PAR" }) as never,
      ),
    );
    expect(stale.data.errors).toEqual({ slot: "appointments:errors.full" });
    // And the confirmation page itself will not show a full slot.
    const again = await run(() =>
      confirm.loader(args(get(who, `/en/appointments/confirm?slot=${slotId}`)) as never),
    );
    expect(location(again)).toBe("/en/appointments/centre/PAR?error=full");
  });

  it("moves a booking to another time", async () => {
    const { id, who } = await invitedApplicant();
    const { days } = await slotList(who, "PAR");
    const first = days[0]?.slots[3]?.id as string;
    const second = days[2]?.slots[0]?.id as string;
    expect(location(await bookThrough(who, first))).toBe("/en/appointments/booked");

    const change = await run(() => index.loader(args(get(who, "/en/appointments?change=1")) as never));
    expect(change.data).toMatchObject({ mode: "choose", current: "PAR" });
    const list = await slotList(who, "PAR");
    expect(list.days.flatMap((d) => d.slots.map((s) => s.id))).not.toContain(first);

    const page = await run(() =>
      confirm.loader(args(get(who, `/en/appointments/confirm?slot=${second}`)) as never),
    );
    expect(page.data.rescheduling).toBe(true);
    expect(location(await bookThrough(who, second))).toBe("/en/appointments/booked");
    const rows = await activeOf(id);
    expect(rows.map((r) => [r.slotId, r.status, r.cancelReason])).toEqual([
      [first, "cancelled", "rescheduled"],
      [second, "booked", null],
    ]);
    const home = await run(() => index.loader(args(get(who, "/en/appointments")) as never));
    expect(home.data.changesLeft).toBe(1);
  });

  it("cancels only once the box is ticked, then returns to the status page", async () => {
    const { id, who } = await invitedApplicant();
    const { days } = await slotList(who, "PAR");
    await bookThrough(who, days[0]?.slots[4]?.id as string);

    const page = await run(() => cancelPage.loader(args(get(who, "/en/appointments/cancel")) as never));
    expect(page.data.facts.centre).toBe("Centre PAR");
    const unticked = await run(() =>
      cancelPage.action(args(post(who, "/en/appointments/cancel", {})) as never),
    );
    expect(unticked.init.status).toBe(422);
    expect(unticked.data.errors).toEqual({
      confirmCancel: "appointments:fields.confirmCancel.errors.required",
    });
    expect((await activeOf(id))[0]?.status).toBe("booked");

    const done = await run(() =>
      cancelPage.action(args(post(who, "/en/appointments/cancel", { confirmCancel: "yes" })) as never),
    );
    expect(location(done)).toBe("/en/status/application");
    expect((await activeOf(id))[0]).toMatchObject({ status: "cancelled", cancelReason: "cancelled" });
    const [eoi] = await db().select({ status: eois.status }).from(eois).where(eq(eois.id, id));
    expect(eoi?.status).toBe("selected");
    // Nothing left to cancel: the page sends them to book again.
    const gone = await run(() => cancelPage.loader(args(get(who, "/en/appointments/cancel")) as never));
    expect(location(gone)).toBe("/en/appointments");
  });
});

describe("calendar file", () => {
  it("is the signed-in applicant's own active appointment, and nobody else's", async () => {
    const { id, who } = await invitedApplicant();
    const { days } = await slotList(who, "PAR");
    const slotId = days[1]?.slots[5]?.id as string;
    await bookThrough(who, slotId);
    const [appointment] = await activeOf(id);

    const response = await run(() =>
      calendar.loader(args(get(who, "/fr/appointments/calendar.ics"), { lang: "fr" }) as never),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/calendar; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="appointment.ics"');
    const text = await response.text();
    const unfolded = text.replace(/\r\n /g, "");
    expect(unfolded).toContain(`UID:${appointment?.id}@`);
    const [slot] = await db().select().from(slots).where(eq(slots.id, slotId));
    const utc = (d: Date) =>
      d
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
    expect(unfolded).toContain(`DTSTART:${utc(slot?.startsAt as Date)}`);
    expect(unfolded).toContain("SUMMARY:Rendez-vous biométrique");
    expect(unfolded).toContain("LOCATION:Centre PAR\\, 1 rue PAR\\, 75010 Paris");

    // Another applicant, signed in, with no appointment: nothing to download.
    const other = await invitedApplicant();
    const none = await run(() =>
      calendar.loader(args(get(other.who, "/en/appointments/calendar.ics")) as never),
    );
    expect(none.status).toBe(404);
    const anonymous = await run(() =>
      calendar.loader(args(get(null, "/en/appointments/calendar.ics")) as never),
    );
    expect(location(anonymous)).toBe("/en/status");
  });
});
