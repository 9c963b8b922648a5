import type { EoiStatus } from "../status/status.rules";

/**
 * An NGO's caseload: what each case needs next, by when, and how close that is. Pure rules,
 * read by the caseload and case pages (texts in locales/<lang>/caseload.json under next.<key>).
 */

export type NextStepKey =
  | "finish"
  | "confirmLocation"
  | "linkExpired"
  | "newLink"
  | "wait"
  | "book"
  | "attend"
  | "waitDecision"
  | "waitPlace"
  | "travel"
  | "none";

export interface CaseFacts {
  status: EoiStatus;
  /** The latest presence link sent and not yet used, whether or not it has expired. */
  presenceLinkExpiresAt: Date | null;
  bookingDeadline: Date | null;
  appointmentAt: Date | null;
}

export interface NextStep {
  key: NextStepKey;
  deadline: Date | null;
}

const waiting: Partial<Record<EoiStatus, NextStepKey>> = {
  location_verified: "wait",
  under_review: "wait",
  biometrics_enrolled: "waitDecision",
  approved: "waitPlace",
  matched: "travel",
};

/**
 * The next step of a case. Confirming location is always the applicant's own step (domain.md
 * Part A §3): the helper is told the deadline so they can remind them, never a way to do it.
 */
export function nextStep(facts: CaseFacts, now = new Date()): NextStep {
  const { status } = facts;
  const step = (key: NextStepKey, deadline: Date | null = null): NextStep => ({ key, deadline });
  if (status === "draft") return step("finish");
  if (status === "submitted" || status === "location_unverified") {
    const link = facts.presenceLinkExpiresAt;
    if (link && link > now) return step("confirmLocation", link);
    return step(status === "submitted" ? "linkExpired" : "newLink");
  }
  if (status === "selected") return step("book", facts.bookingDeadline);
  if (status === "appointment_booked") return step("attend", facts.appointmentAt);
  return step(waiting[status] ?? "none");
}

export type Urgency = "overdue" | "urgent" | "soon";

/** Deadlines within a day are urgent; within three days, soon (highlighted on the caseload). */
export const URGENT_HOURS = 24;
export const SOON_DAYS = 3;

export function urgency(deadline: Date | null, now = new Date()): Urgency | null {
  if (!deadline) return null;
  const left = deadline.getTime() - now.getTime();
  if (left <= 0) return "overdue";
  if (left < URGENT_HOURS * 3_600_000) return "urgent";
  if (left < SOON_DAYS * 86_400_000) return "soon";
  return null;
}

/** Soonest deadline first; cases without one after them, the most recent consent first. */
export function byDeadline(a: { next: NextStep; since: Date }, b: { next: NextStep; since: Date }): number {
  const da = a.next.deadline?.getTime() ?? Number.POSITIVE_INFINITY;
  const db = b.next.deadline?.getTime() ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da < db ? -1 : 1;
  return b.since.getTime() - a.since.getTime();
}

export const caseIntents = ["continue", "status", "appointments", "hand-over"] as const;
export type CaseIntent = (typeof caseIntents)[number];

/**
 * What a helper can open from the case page: the application while it is a draft, its progress
 * once sent, and the booking pages while an appointment is to book or booked.
 */
export function allowedIntents(status: EoiStatus): CaseIntent[] {
  if (status === "draft") return ["continue", "hand-over"];
  if (status === "selected" || status === "appointment_booked")
    return ["status", "appointments", "hand-over"];
  return ["status", "hand-over"];
}

export const isCaseIntent = (value: string | undefined): value is CaseIntent =>
  (caseIntents as readonly string[]).includes(value ?? "");
