import type { EoiStatus } from "../../../db/schema/eoi";

/**
 * Application windows (domain.md Part A §4, Part B §2.6): pure rules, no database.
 *
 * Admins give windows as calendar days in Paris time, where applicants are: a window opens at
 * midnight (Europe/Paris) at the start of its first day and closes at midnight at the end of its
 * last day. Stored as instants (timestamptz), so "close now" and windows made by other tools
 * (seed, tests) can end at any moment; a day left unchanged in the form keeps its exact instant.
 */

export const PARIS = "Europe/Paris";
const DAY_MS = 86_400_000;

const parisClock = new Intl.DateTimeFormat("en-GB", {
  timeZone: PARIS,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

function parisParts(at: Date): Record<"year" | "month" | "day" | "hour" | "minute" | "second", number> {
  const parts = Object.fromEntries(
    parisClock
      .formatToParts(at)
      .filter((p) => p.type !== "literal")
      .map((p) => [p.type, Number(p.value)]),
  );
  return parts as Record<"year" | "month" | "day" | "hour" | "minute" | "second", number>;
}

/** How far Paris's wall clock is ahead of UTC at `at`, in milliseconds (1 or 2 hours). */
function parisOffset(at: Date): number {
  const p = parisParts(at);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

const pad = (n: number, size = 2) => String(n).padStart(size, "0");

/** The calendar day (YYYY-MM-DD) in Paris at `at`. */
export function parisDay(at: Date): string {
  const p = parisParts(at);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** Midnight in Paris at the start of `day` (YYYY-MM-DD). Clocks change at 02:00 or 03:00, never at midnight. */
export function parisMidnight(day: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const utc = Date.UTC(y, m - 1, d);
  let guess = utc - parisOffset(new Date(utc));
  guess = utc - parisOffset(new Date(guess));
  return new Date(guess);
}

/** `day` plus `n` calendar days. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Wall-clock time in Paris, for exports: "2026-03-01 14:05:09". */
export function parisTimestamp(at: Date): string {
  const p = parisParts(at);
  return `${parisDay(at)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

export interface WindowTimes {
  opensAt: Date;
  closesAt: Date;
  pausedAt: Date | null;
}

export const windowStates = ["scheduled", "open", "paused", "closed"] as const;
export type WindowState = (typeof windowStates)[number];

/**
 * Closed once its end has passed (a pause does not outlive the window); otherwise paused while
 * an admin has paused it (even before it opens), else scheduled or open by its dates.
 */
export function windowState(w: WindowTimes, now: Date): WindowState {
  if (now >= w.closesAt) return "closed";
  if (w.pausedAt) return "paused";
  return now < w.opensAt ? "scheduled" : "open";
}

/** What an admin may do with a window in its current state. */
export function windowActions(w: WindowTimes, now: Date) {
  const state = windowState(w, now);
  return {
    // A closed window is history: EOIs were judged against its dates.
    edit: state !== "closed",
    pause: state === "open" || state === "scheduled",
    resume: state === "paused",
    // Closing sets the end to now, which must stay after the opening.
    close: (state === "open" || state === "paused") && w.opensAt < now,
  };
}

/** Half-open intervals [opensAt, closesAt): one window may close at the very instant the next opens. */
export function overlaps(a: { opensAt: Date; closesAt: Date }, b: { opensAt: Date; closesAt: Date }) {
  return a.opensAt < b.closesAt && b.opensAt < a.closesAt;
}

/** Status groups counted per window on the windows page. Drafts belong to no window. */
export const statusGroups = {
  waiting: ["submitted", "location_verified", "location_unverified", "under_review"],
  selected: ["selected", "appointment_booked", "biometrics_enrolled", "approved", "matched", "arrived"],
  closed: ["invalid", "not_eligible", "not_selected", "refused", "withdrawn"],
} as const satisfies Record<string, readonly EoiStatus[]>;

export type StatusGroup = keyof typeof statusGroups;

export function statusGroup(status: EoiStatus): StatusGroup | null {
  for (const [group, statuses] of Object.entries(statusGroups) as [StatusGroup, readonly EoiStatus[]][]) {
    if (statuses.includes(status)) return group;
  }
  return null;
}

/** What the window form posts once validated (windows.pages.ts): days, not instants. */
export interface WindowAnswers {
  name: string;
  opensOn: string;
  lastDay: string;
  cap?: string;
}

export interface WindowInput {
  name: string;
  opensAt: Date;
  closesAt: Date;
  cap: number | null;
}

/**
 * The form's days as instants. A day the admin left as it was keeps the window's exact instant,
 * so saving a new name never moves the dates of a window opened at 09:00 or closed early.
 */
export function windowInput(
  answers: WindowAnswers,
  existing?: { opensAt: Date; closesAt: Date },
): WindowInput {
  const opensAt =
    existing && parisDay(existing.opensAt) === answers.opensOn
      ? existing.opensAt
      : parisMidnight(answers.opensOn);
  const closesAt =
    existing && lastDayOf(existing.closesAt) === answers.lastDay
      ? existing.closesAt
      : parisMidnight(addDays(answers.lastDay, 1));
  return { name: answers.name, opensAt, closesAt, cap: answers.cap ? Number(answers.cap) : null };
}

/** The last day a window is open: the day of the instant just before it closes. */
export const lastDayOf = (closesAt: Date) => parisDay(new Date(closesAt.getTime() - 1));

/** A window as the form shows it. */
export function windowAnswers(w: { name: string; opensAt: Date; closesAt: Date; cap: number | null }) {
  return {
    name: w.name,
    opensOn: parisDay(w.opensAt),
    lastDay: lastDayOf(w.closesAt),
    ...(w.cap ? { cap: String(w.cap) } : {}),
  };
}

export type WindowField = "name" | "opensOn" | "lastDay" | "cap";

/** Error codes the rules below add to the form's own (windows.pages.ts lists them for the locales). */
export const windowRuleCodes = {
  opensOn: ["past", "started", "overlap"],
  lastDay: ["beforeOpens", "past"],
  cap: ["belowSubmitted"],
} as const satisfies Partial<Record<WindowField, readonly string[]>>;

type RuleCode<F extends keyof typeof windowRuleCodes> = (typeof windowRuleCodes)[F][number];
export interface WindowErrors {
  opensOn?: RuleCode<"opensOn">;
  lastDay?: RuleCode<"lastDay">;
  cap?: RuleCode<"cap">;
}

export interface WindowRecord {
  id: string;
  name: string;
  opensAt: Date;
  closesAt: Date;
  pausedAt: Date | null;
}

export interface WindowCheck {
  errors: WindowErrors;
  /** The window the dates collide with, to name it on the page. */
  overlapping?: WindowRecord;
}

/**
 * Checks a new or changed window against the clock and the other windows:
 * - it closes after it opens (the last day is on or after the first day);
 * - a new window does not open in the past (today is fine: it opens at once);
 * - a window that has opened keeps its opening (EOIs were already submitted in it);
 * - a new end is in the future (to end a window now, close it);
 * - the cap is not below the EOIs already submitted in it;
 * - windows never overlap, so "the open window" is always one window (openWindow in eoi.service).
 */
export function checkWindow(
  input: WindowInput,
  context: { now: Date; existing?: WindowRecord; others: WindowRecord[]; submitted?: number },
): WindowCheck {
  const { now, existing } = context;
  const errors: WindowErrors = {};
  const today = parisMidnight(parisDay(now));
  const opensChanged = !existing || input.opensAt.getTime() !== existing.opensAt.getTime();
  const closesChanged = !existing || input.closesAt.getTime() !== existing.closesAt.getTime();

  if (input.closesAt <= input.opensAt) errors.lastDay = "beforeOpens";
  else if (closesChanged && input.closesAt <= now) errors.lastDay = "past";

  if (existing && existing.opensAt <= now && opensChanged) errors.opensOn = "started";
  else if (opensChanged && input.opensAt < today) errors.opensOn = "past";

  if (input.cap !== null && (context.submitted ?? 0) > input.cap) errors.cap = "belowSubmitted";

  if (!errors.opensOn && !errors.lastDay) {
    const overlapping = context.others.find((o) => o.id !== existing?.id && overlaps(input, o));
    if (overlapping) return { errors: { ...errors, opensOn: "overlap" }, overlapping };
  }
  return { errors };
}

export const pauseReasons = ["parity", "capacity", "other"] as const;
export type PauseReason = (typeof pauseReasons)[number];

/**
 * The reason stored with a pause: a known reason's code, or what the admin wrote for "other".
 * Shown translated when it is a code.
 */
export function pauseReasonText(answers: { pauseReason: string; pauseDetails?: string }): string {
  return answers.pauseReason === "other" ? (answers.pauseDetails ?? "").trim() : answers.pauseReason;
}

export const isKnownPauseReason = (reason: string | null): reason is Exclude<PauseReason, "other"> =>
  reason === "parity" || reason === "capacity";
