import { and, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { applicationWindows, eois, schemeSettings } from "../../../db/schema";
import { db, type Executor } from "../../.server/db.server";
import { type Actor, audit } from "../audit/audit.server";
import {
  checkWindow,
  type StatusGroup,
  statusGroups,
  type WindowAnswers,
  type WindowErrors,
  type WindowRecord,
  type WindowState,
  windowActions,
  windowInput,
  windowState,
} from "./windows.rules";

/**
 * Application windows for the back office: the list with counts, and the admin's changes (create,
 * edit, close now, pause with a reason, resume), each in one transaction with its audit row.
 */

export interface WindowSummary extends WindowRecord {
  cap: number | null;
  pauseReason: string | null;
  state: WindowState;
  actions: ReturnType<typeof windowActions>;
  /** EOIs submitted in the window (every status but draft), and by status group. */
  counts: { submitted: number } & Record<StatusGroup, number>;
}

const countOf = (statuses: readonly string[]) =>
  sql<number>`cast(count(${eois.id}) filter (where ${inArray(eois.status, [...statuses] as (typeof eois.$inferSelect)["status"][])}) as integer)`;

async function summaries(tx: Executor, now: Date, id?: string): Promise<WindowSummary[]> {
  const rows = await tx
    .select({
      id: applicationWindows.id,
      name: applicationWindows.name,
      opensAt: applicationWindows.opensAt,
      closesAt: applicationWindows.closesAt,
      cap: applicationWindows.cap,
      pausedAt: applicationWindows.pausedAt,
      pauseReason: applicationWindows.pauseReason,
      submitted: sql<number>`cast(count(${eois.id}) as integer)`,
      waiting: countOf(statusGroups.waiting),
      selected: countOf(statusGroups.selected),
      closed: countOf(statusGroups.closed),
    })
    .from(applicationWindows)
    .leftJoin(eois, and(eq(eois.windowId, applicationWindows.id), ne(eois.status, "draft")))
    .where(id ? eq(applicationWindows.id, id) : undefined)
    .groupBy(applicationWindows.id)
    .orderBy(desc(applicationWindows.opensAt));
  return rows.map(({ submitted, waiting, selected, closed, ...w }) => ({
    ...w,
    state: windowState(w, now),
    actions: windowActions(w, now),
    counts: { submitted, waiting, selected, closed },
  }));
}

/** Every window, latest first, with its counts. */
export function listWindows(now = new Date()): Promise<WindowSummary[]> {
  return summaries(db(), now);
}

export async function getWindow(id: string, now = new Date()): Promise<WindowSummary | null> {
  if (!isUuid(id)) return null;
  const [window] = await summaries(db(), now, id);
  return window ?? null;
}

/** Whether the whole scheme is suspended (no window takes EOIs then, whatever its state). */
export async function schemeSuspended(): Promise<boolean> {
  const [settings] = await db().select({ suspended: schemeSettings.suspended }).from(schemeSettings);
  return settings?.suspended ?? false;
}

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export type SaveResult =
  | { ok: true; id: string }
  | { ok: false; errors: WindowErrors; overlapping?: WindowRecord }
  | { ok: false; notEditable: true };

const recordColumns = {
  id: applicationWindows.id,
  name: applicationWindows.name,
  opensAt: applicationWindows.opensAt,
  closesAt: applicationWindows.closesAt,
  pausedAt: applicationWindows.pausedAt,
};

/**
 * Window writes take turns (a table lock that reads and EOI submissions do not wait for), so two
 * admins cannot both create overlapping windows between their checks and their inserts.
 */
async function lockWindows(tx: Executor): Promise<void> {
  await tx.execute(sql`lock table ${applicationWindows} in share row exclusive mode`);
}

const allWindows = (tx: Executor): Promise<WindowRecord[]> =>
  tx.select(recordColumns).from(applicationWindows);

const iso = (d: Date) => d.toISOString();

export async function createWindow(
  answers: WindowAnswers,
  actor: Actor,
  now = new Date(),
): Promise<SaveResult> {
  return db().transaction(async (tx) => {
    await lockWindows(tx);
    const others = await allWindows(tx);
    const input = windowInput(answers);
    const check = checkWindow(input, { now, others });
    if (Object.keys(check.errors).length) return { ok: false, ...check };
    const [row] = await tx.insert(applicationWindows).values(input).returning({ id: applicationWindows.id });
    const id = row?.id as string;
    await audit(
      tx,
      actor,
      "window.created",
      { type: "window", id },
      { name: input.name, opensAt: iso(input.opensAt), closesAt: iso(input.closesAt), cap: input.cap },
    );
    return { ok: true, id };
  });
}

/** Changes a window's name, dates or cap; the audit row keeps each change as [before, after]. */
export async function updateWindow(
  id: string,
  answers: WindowAnswers,
  actor: Actor,
  now = new Date(),
): Promise<SaveResult | null> {
  if (!isUuid(id)) return null;
  return db().transaction(async (tx) => {
    await lockWindows(tx);
    const all = await allWindows(tx);
    // The row lock waits for the submissions in flight (see takePlace), so the count below,
    // a statement of its own, sees every one of them.
    const [current] = await tx
      .select()
      .from(applicationWindows)
      .where(eq(applicationWindows.id, id))
      .for("update");
    if (!current) return null;
    if (!windowActions(current, now).edit) return { ok: false, notEditable: true };
    const input = windowInput(answers, current);
    const [{ submitted = 0 } = {}] = await tx
      .select({ submitted: sql<number>`cast(count(*) as integer)` })
      .from(eois)
      .where(and(eq(eois.windowId, id), ne(eois.status, "draft")));
    const check = checkWindow(input, { now, existing: current, others: all, submitted });
    if (Object.keys(check.errors).length) return { ok: false, ...check };

    const changes: Record<string, [unknown, unknown]> = {};
    if (input.name !== current.name) changes.name = [current.name, input.name];
    if (input.opensAt.getTime() !== current.opensAt.getTime())
      changes.opensAt = [iso(current.opensAt), iso(input.opensAt)];
    if (input.closesAt.getTime() !== current.closesAt.getTime())
      changes.closesAt = [iso(current.closesAt), iso(input.closesAt)];
    if (input.cap !== current.cap) changes.cap = [current.cap, input.cap];
    if (Object.keys(changes).length === 0) return { ok: true, id };

    // Submissions to an uncapped window are not counted: a cap starts from the true count.
    await tx
      .update(applicationWindows)
      .set({ ...input, ...(input.cap !== null ? { submittedCount: submitted } : {}) })
      .where(eq(applicationWindows.id, id));
    await audit(tx, actor, "window.updated", { type: "window", id }, { changes });
    return { ok: true, id };
  });
}

/**
 * Runs a state change on one locked window. Null when there is no such window; false when the
 * window's state does not allow it (a repeated click, or a page left open): nothing is written.
 */
async function transition(
  id: string,
  allowed: (actions: ReturnType<typeof windowActions>) => boolean,
  change: (tx: Executor, window: typeof applicationWindows.$inferSelect) => Promise<void>,
  now: Date,
): Promise<boolean | null> {
  if (!isUuid(id)) return null;
  return db().transaction(async (tx) => {
    // The same lock as edits take first: a row lock here would deadlock against an edit's.
    await lockWindows(tx);
    const [window] = await tx.select().from(applicationWindows).where(eq(applicationWindows.id, id));
    if (!window) return null;
    if (!allowed(windowActions(window, now))) return false;
    await change(tx, window);
    return true;
  });
}

/** Ends an open (or paused) window now: from this instant no EOI can be submitted in it. */
export function closeWindow(id: string, actor: Actor, now = new Date()): Promise<boolean | null> {
  return transition(
    id,
    (a) => a.close,
    async (tx, window) => {
      await tx.update(applicationWindows).set({ closesAt: now }).where(eq(applicationWindows.id, id));
      await audit(
        tx,
        actor,
        "window.closed",
        { type: "window", id },
        { closesAt: iso(now), plannedClosesAt: iso(window.closesAt) },
      );
    },
    now,
  );
}

/**
 * Pauses a window (parity not reached, capacity…): submissions are refused while it is paused
 * (openWindow ignores paused windows), drafts are kept.
 */
export function pauseWindow(
  id: string,
  reason: string,
  actor: Actor,
  now = new Date(),
): Promise<boolean | null> {
  return transition(
    id,
    (a) => a.pause,
    async (tx) => {
      await tx
        .update(applicationWindows)
        .set({ pausedAt: now, pauseReason: reason })
        .where(eq(applicationWindows.id, id));
      await audit(tx, actor, "window.paused", { type: "window", id }, { reason });
    },
    now,
  );
}

export function resumeWindow(id: string, actor: Actor, now = new Date()): Promise<boolean | null> {
  return transition(
    id,
    (a) => a.resume,
    async (tx, window) => {
      await tx
        .update(applicationWindows)
        .set({ pausedAt: null, pauseReason: null })
        .where(eq(applicationWindows.id, id));
      await audit(
        tx,
        actor,
        "window.resumed",
        { type: "window", id },
        { pausedAt: window.pausedAt && iso(window.pausedAt), reason: window.pauseReason },
      );
    },
    now,
  );
}
