import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { applicationWindows, auditLog, type EoiStatus, eois } from "#db/schema";
import { db } from "~/.server/db.server";
import { submitEoi } from "~/domain/eoi/eoi.service.server";
import { generateReference } from "~/domain/eoi/reference";
import { addDays, parisDay, parisMidnight } from "~/domain/windows/windows.rules";
import { listWindows } from "~/domain/windows/windows.service.server";
import * as edit from "~/routes/staff/windows/edit";
import * as list from "~/routes/staff/windows/list";
import { setupTestDatabase } from "../../support/db";
import { completeDraft, testActor } from "../../support/eoi";
import { routeContext, signedInStaff, staffRequest, type TestStaff } from "../../support/staff";

setupTestDatabase("windows");

const context = routeContext;
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context });
const DAY = 86_400_000;

/** What a handler returned or threw (guards throw Responses). */
async function run<T>(fn: () => Promise<T>): Promise<T | Response> {
  try {
    return await fn();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

type Invalid = {
  init: { status: number };
  data: { errors: Record<string, string>; overlapping?: { name: string } };
};

/** A Paris day `n` days from today. */
const inDays = (n: number) => addDays(parisDay(new Date()), n);

const dateInputs = (name: string, day: string) => {
  const [year, month, date] = day.split("-");
  return {
    [`${name}-day`]: String(Number(date)),
    [`${name}-month`]: String(Number(month)),
    [`${name}-year`]: year as string,
  };
};

const windowForm = (name: string, opensOn: string, lastDay: string, cap = "") => ({
  name,
  ...dateInputs("opensOn", opensOn),
  ...dateInputs("lastDay", lastDay),
  cap,
});

async function windowRow(id: string) {
  const [row] = await db().select().from(applicationWindows).where(eq(applicationWindows.id, id));
  if (!row) throw new Error("no such window");
  return row;
}

async function auditRows(id: string) {
  return db()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.subjectType, "window"), eq(auditLog.subjectId, id)))
    .orderBy(auditLog.id);
}

async function insertWindow(name: string, opensAt: Date, closesAt: Date, cap: number | null = null) {
  const [row] = await db()
    .insert(applicationWindows)
    .values({ name, opensAt, closesAt, cap })
    .returning({ id: applicationWindows.id });
  return row?.id as string;
}

let admin: TestStaff;
let caseworker: TestStaff;
let auditor: TestStaff;

beforeAll(async () => {
  admin = await signedInStaff("admin");
  caseworker = await signedInStaff("caseworker", "fr");
  auditor = await signedInStaff("auditor");
});

async function create(form: Record<string, string>) {
  return edit.action(args(staffRequest(admin, "/staff/windows/new", form)));
}

describe("creating and changing windows", () => {
  it("creates a window from Paris days, and audits it", async () => {
    const response = (await create(windowForm("Window 40", inDays(40), inDays(49), "1 500"))) as Response;
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/staff/windows?done=created");
    const [created] = await db()
      .select()
      .from(applicationWindows)
      .where(eq(applicationWindows.name, "Window 40"));
    expect(created).toMatchObject({
      opensAt: parisMidnight(inDays(40)),
      closesAt: parisMidnight(inDays(50)),
      cap: 1500,
      pausedAt: null,
    });
    const [row] = await auditRows(created?.id as string);
    expect(row).toMatchObject({
      action: "window.created",
      actorType: "staff",
      actorId: admin.id,
      ip: "127.0.0.1",
      requestId: "test",
      details: { name: "Window 40", cap: 1500 },
    });
  });

  it("refuses a last day before the first day, and a cap that is not a positive whole number", async () => {
    const backwards = (await create(windowForm("Backwards", inDays(60), inDays(59)))) as Invalid;
    expect(backwards.init.status).toBe(422);
    expect(backwards.data.errors).toEqual({ lastDay: "backoffice:fields.lastDay.errors.beforeOpens" });
    for (const cap of ["0", "-4", "2.5", "lots"]) {
      const wrong = (await create(windowForm("Capped", inDays(60), inDays(61), cap))) as Invalid;
      expect(wrong.data.errors, cap).toEqual({ cap: "backoffice:fields.cap.errors.invalid" });
    }
    const past = (await create(windowForm("Yesterday", inDays(-1), inDays(5)))) as Invalid;
    expect(past.data.errors).toEqual({ opensOn: "backoffice:fields.opensOn.errors.past" });
  });

  it("refuses a window that overlaps another, and names the other", async () => {
    await create(windowForm("Window 70", inDays(70), inDays(79)));
    const overlap = (await create(windowForm("Overlapping", inDays(75), inDays(85)))) as Invalid;
    expect(overlap.init.status).toBe(422);
    expect(overlap.data.errors).toEqual({ opensOn: "backoffice:fields.opensOn.errors.overlap" });
    expect(overlap.data.overlapping?.name).toBe("Window 70");
    // The day after the other's last day is free.
    const next = (await create(windowForm("Window 80", inDays(80), inDays(85)))) as Response;
    expect(next.status).toBe(303);
  });

  it("changes a window's name and cap, keeping its dates, and audits each change", async () => {
    const id = await insertWindow("Window 100", parisMidnight(inDays(100)), parisMidnight(inDays(110)), 50);
    const response = (await edit.action(
      args(
        staffRequest(
          admin,
          `/staff/windows/${id}`,
          windowForm("Window 100 (renamed)", inDays(100), inDays(109), ""),
        ),
        { id },
      ),
    )) as Response;
    expect(response.headers.get("Location")).toBe("/staff/windows?done=updated");
    const row = await windowRow(id);
    expect(row).toMatchObject({
      name: "Window 100 (renamed)",
      cap: null,
      opensAt: parisMidnight(inDays(100)),
    });
    const [changed] = await auditRows(id);
    expect(changed).toMatchObject({
      action: "window.updated",
      details: { changes: { name: ["Window 100", "Window 100 (renamed)"], cap: [50, null] } },
    });
    // Saving again without a change writes nothing.
    await edit.action(
      args(
        staffRequest(
          admin,
          `/staff/windows/${id}`,
          windowForm("Window 100 (renamed)", inDays(100), inDays(109)),
        ),
        { id },
      ),
    );
    expect(await auditRows(id)).toHaveLength(1);
  });

  it("shows the form with the window's days, and 404 for an unknown window", async () => {
    const id = await insertWindow("Window 120", parisMidnight(inDays(120)), parisMidnight(inDays(125)));
    const page = (await edit.loader(args(staffRequest(admin, `/staff/windows/${id}`), { id }))) as {
      view: string;
      values: Record<string, string>;
    };
    expect(page.view).toBe("edit");
    expect(page.values).toMatchObject({
      name: "Window 120",
      ...dateInputs("opensOn", inDays(120)),
      ...dateInputs("lastDay", inDays(124)),
    });
    const missing = await run(() =>
      edit.loader(args(staffRequest(admin, "/staff/windows/x"), { id: crypto.randomUUID() })),
    );
    expect(missing).toMatchObject({ status: 404 });
  });
});

describe("pausing, resuming and closing the open window", () => {
  let id: string;
  beforeAll(async () => {
    id = await insertWindow("Current", new Date(Date.now() - DAY), new Date(Date.now() + 5 * DAY), 1000);
  });

  it("pauses with a reason: submissions are refused while it is paused; resuming lets them in", async () => {
    const refused = (await edit.action(
      args(
        staffRequest(admin, `/staff/windows/${id}?view=pause`, { intent: "pause", pauseReason: "other" }),
        { id },
      ),
    )) as Invalid;
    expect(refused.data.errors).toEqual({ pauseDetails: "backoffice:fields.pauseDetails.errors.required" });

    const paused = (await edit.action(
      args(
        staffRequest(admin, `/staff/windows/${id}?view=pause`, { intent: "pause", pauseReason: "parity" }),
        { id },
      ),
    )) as Response;
    expect(paused.headers.get("Location")).toBe("/staff/windows?done=paused");
    expect(await windowRow(id)).toMatchObject({ pauseReason: "parity" });
    expect((await windowRow(id)).pausedAt).toBeInstanceOf(Date);

    const draft = await completeDraft();
    expect(await submitEoi(draft, testActor)).toMatchObject({ ok: false, error: "window-closed" });

    // Resumed from the list, in one click.
    const resumed = (await list.action(
      args(staffRequest(admin, "/staff/windows", { intent: "resume", id })),
    )) as Response;
    expect(resumed.headers.get("Location")).toBe("/staff/windows?done=resumed");
    expect(await windowRow(id)).toMatchObject({ pausedAt: null, pauseReason: null });
    expect(await submitEoi(draft, testActor)).toMatchObject({ ok: true });

    expect((await auditRows(id)).map((r) => [r.action, r.details])).toEqual([
      ["window.paused", { reason: "parity" }],
      ["window.resumed", { pausedAt: expect.any(String), reason: "parity" }],
    ]);
  });

  it("closes now, once: a closed window can no longer be changed", async () => {
    const before = Date.now();
    const closed = (await edit.action(
      args(staffRequest(admin, `/staff/windows/${id}?view=close`, { intent: "close" }), { id }),
    )) as Response;
    expect(closed.headers.get("Location")).toBe("/staff/windows?done=closed");
    const row = await windowRow(id);
    expect(row.closesAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(row.closesAt.getTime()).toBeLessThanOrEqual(Date.now());

    // A second click, or an edit of the closed window, changes nothing.
    const again = (await edit.action(
      args(staffRequest(admin, `/staff/windows/${id}?view=close`, { intent: "close" }), { id }),
    )) as Response;
    expect(again.headers.get("Location")).toBe(`/staff/windows/${id}`);
    const renamed = (await edit.action(
      args(staffRequest(admin, `/staff/windows/${id}`, windowForm("Renamed", inDays(-1), inDays(3))), { id }),
    )) as Response;
    expect(renamed.headers.get("Location")).toBe(`/staff/windows/${id}`);
    expect((await windowRow(id)).name).toBe("Current");
    const [last] = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectType, "window"), eq(auditLog.subjectId, id)))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(last).toMatchObject({ action: "window.closed", actorId: admin.id });
    expect((await auditRows(id)).filter((r) => r.action === "window.closed")).toHaveLength(1);

    const page = (await edit.loader(args(staffRequest(admin, `/staff/windows/${id}`), { id }))) as {
      view: string;
    };
    expect(page.view).toBe("closed");
  });
});

describe("counts per window", () => {
  it("counts submitted EOIs by status group against the cap", async () => {
    const id = await insertWindow(
      "Counted",
      new Date(Date.now() - 40 * DAY),
      new Date(Date.now() - 30 * DAY),
      10,
    );
    const statuses: EoiStatus[] = [
      "submitted",
      "location_verified",
      "location_unverified",
      "under_review",
      "selected",
      "appointment_booked",
      "arrived",
      "invalid",
      "not_selected",
      "withdrawn",
      "refused",
    ];
    const submittedAt = new Date(Date.now() - 35 * DAY);
    await db()
      .insert(eois)
      .values([
        ...statuses.map((status) => ({
          status,
          lang: "fr",
          answersEnc: "not read here",
          reference: generateReference(),
          windowId: id,
          submittedAt,
        })),
        // A draft belongs to no window yet.
        { status: "draft" as const, lang: "fr", answersEnc: "not read here" },
      ]);
    const [counted] = (await listWindows()).filter((w) => w.id === id);
    expect(counted).toMatchObject({
      state: "closed",
      cap: 10,
      counts: { submitted: 11, waiting: 4, selected: 3, closed: 4 },
    });

    // The caseworker's page (in French) shows the same counts, read-only.
    const page = (await list.loader(args(staffRequest(caseworker, "/staff/windows")))) as {
      canManage: boolean;
      windows: {
        id: string;
        submitted: string;
        waiting: string;
        selected: string;
        closed: string;
        capReached: boolean;
        opens: string;
      }[];
    };
    expect(page.canManage).toBe(false);
    expect(page.windows.find((w) => w.id === id)).toMatchObject({
      submitted: "11",
      waiting: "4",
      selected: "3",
      closed: "4",
      capReached: true,
    });
    const adminPage = (await list.loader(args(staffRequest(admin, "/staff/windows?done=created")))) as {
      canManage: boolean;
      done: string | null;
    };
    expect(adminPage).toMatchObject({ canManage: true, done: "created" });
  });
});

describe("who may do what", () => {
  it("lets a caseworker see the windows but not create, change or resume one", async () => {
    expect(await run(() => list.loader(args(staffRequest(caseworker, "/staff/windows"))))).not.toBeInstanceOf(
      Response,
    );
    const calls: (() => Promise<unknown>)[] = [
      () => edit.loader(args(staffRequest(caseworker, "/staff/windows/new"))),
      () =>
        edit.action(
          args(
            staffRequest(caseworker, "/staff/windows/new", windowForm("Sneaky", inDays(300), inDays(301))),
          ),
        ),
      () =>
        list.action(
          args(staffRequest(caseworker, "/staff/windows", { intent: "resume", id: crypto.randomUUID() })),
        ),
    ];
    for (const call of calls) {
      expect(await run(call)).toMatchObject({ status: 403 });
    }
    expect(await db().select().from(applicationWindows).where(eq(applicationWindows.name, "Sneaky"))).toEqual(
      [],
    );
  });

  it("refuses auditors, and sends anyone signed out to sign in", async () => {
    expect(await run(() => list.loader(args(staffRequest(auditor, "/staff/windows"))))).toMatchObject({
      status: 403,
    });
    expect(await run(() => edit.loader(args(staffRequest(auditor, "/staff/windows/new"))))).toMatchObject({
      status: 403,
    });
    const signedOut = await run(() => list.loader(args(staffRequest(null, "/staff/windows"))));
    expect(signedOut).toMatchObject({ status: 302 });
  });
});
