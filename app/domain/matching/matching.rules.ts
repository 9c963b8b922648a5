import type { EoiStatus } from "../status/status.rules";

/** Parity policies (domain.md Part A §1). The treaty's own standard is "balance regularly". */
export const parityPolicies = ["strict", "tolerance", "reporting-only"] as const;
export type ParityPolicy = (typeof parityPolicies)[number];

/** The most a tolerance may be, so a typing slip cannot switch parity off. */
export const MAX_TOLERANCE = 1_000;
/** "Match the next N" from the queue page: the officer's batch, not the bench's 100,000. */
export const MAX_MATCH_BATCH = 500;

export interface Capacity {
  policy: ParityPolicy;
  tolerance: number;
  /** Admissions already matched without a return of their own. */
  ahead: number;
  /** Completed returns matched to nobody. */
  freeReturns: number;
  weeklyCap: number | null;
  admittedThisWeek: number;
}

export type PlacesLimit = "returns" | "weekly_cap";

/**
 * How many people may be matched now. Strict: one free completed return each. Tolerance N: the
 * free returns plus what is left of N. Reporting-only: no parity limit. The weekly cap applies
 * under every policy. `limitedBy` names the binding limit, so the officer is told why.
 */
export function placesAvailable(c: Capacity): { places: number; limitedBy: PlacesLimit | null } {
  const allowance = c.policy === "tolerance" ? c.tolerance : 0;
  const byParity =
    c.policy === "reporting-only"
      ? Number.POSITIVE_INFINITY
      : c.freeReturns + Math.max(0, allowance - c.ahead);
  const byWeek =
    c.weeklyCap === null ? Number.POSITIVE_INFINITY : Math.max(0, c.weeklyCap - c.admittedThisWeek);
  if (byParity === Number.POSITIVE_INFINITY && byWeek === Number.POSITIVE_INFINITY)
    return { places: Number.POSITIVE_INFINITY, limitedBy: null };
  return byWeek < byParity
    ? { places: byWeek, limitedBy: "weekly_cap" }
    : { places: byParity, limitedBy: "returns" };
}

/**
 * A family is matched whole (Part A §5): it waits while any member is still on the way to
 * approval. Members who left (refused, withdrawn…) do not hold the others back.
 */
export const familyMemberInProgress: readonly EoiStatus[] = [
  "submitted",
  "location_verified",
  "location_unverified",
  "under_review",
  "selected",
  "appointment_booked",
  "biometrics_enrolled",
];

/** Why a match is undone; the free text of "other" goes to the audit log. */
export const unmatchReasons = [
  "applicant_withdrew",
  "return_record_error",
  "matched_in_error",
  "travel_not_possible",
  "other",
] as const;
export type UnmatchReason = (typeof unmatchReasons)[number];
