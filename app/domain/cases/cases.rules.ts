import { PARIS } from "../../i18n/format";
import { canTransition, type EoiStatus } from "../status/status.rules";

/**
 * Caseworkers' rules (issue 5): which decision may be recorded from which status, the reason
 * codes of each, the booking period of an invitation, claims, and which decisions a family takes
 * together. Pure: no Remix, no database. The state machine (status.rules.ts) still has the last
 * word on every status change; this table only narrows what a caseworker is offered.
 */

/** The decisions a caseworker records, named after the status each one leads to. */
export const decisions = [
  "invalid",
  "not_eligible",
  "not_selected",
  "selected",
  "approved",
  "refused",
] as const;
export type Decision = (typeof decisions)[number];

/** Stage one: from submission until the selection decision (domain.md Part B §7.2, 1–9). */
export const eoiStageStatuses = [
  "submitted",
  "location_verified",
  "location_unverified",
  "under_review",
] as const satisfies readonly EoiStatus[];

const isEoiStage = (status: EoiStatus) => (eoiStageStatuses as readonly EoiStatus[]).includes(status);

/**
 * Where each decision may be taken from. Stage-one outcomes (invalid, not eligible, not selected,
 * refused on suitability, selected) are open during the whole first stage; approval only after
 * biometrics (Part A §8); refusal at any point until a place is matched (Part B §3.6, §5.3).
 */
export const decisionFrom: Record<Decision, readonly EoiStatus[]> = {
  invalid: eoiStageStatuses,
  not_eligible: eoiStageStatuses,
  not_selected: eoiStageStatuses,
  selected: eoiStageStatuses,
  approved: ["biometrics_enrolled"],
  refused: [...eoiStageStatuses, "selected", "appointment_booked", "biometrics_enrolled", "approved"],
};

/**
 * Reason codes per decision, from the caseworker guidance as domain.md reports it:
 * - invalid: the codes of Part B §7.2 item 5 (validity, §2.7);
 * - not eligible: the caseworker-checked eligibility rules of §3 (R-NAT-2, R-NAT-3, R-IRR-1,
 *   R-IRR-2, R-FAM-3, R-ID-1);
 * - not selected / selected: the priority rules of Part A §6 and the cap (R-CAP-1);
 * - approved: every stage-two check passed (§5.2–5.3);
 * - refused: suitability (R-SUIT-1, Part Suitability), biometrics not given (SUI 14.1), a different
 *   identity document at the centre (R-ID-2), security checks (§5.2), irregular entry (§3.5).
 */
export const reasonCodes = {
  invalid: [
    "outside_window",
    "not_in_france",
    "under_18_no_parent",
    "eea_or_free_movement",
    "missing_id_or_photo",
    "family_window_mismatch",
    "duplicate",
  ],
  not_eligible: [
    "protection_elsewhere",
    "french_permission",
    "previous_irregular_entry",
    "treaty_returnee",
    "relationship_not_evidenced",
    "identity_not_established",
  ],
  not_selected: ["lower_priority", "no_capacity"],
  selected: [
    "priority_nationality",
    "grant_rate",
    "uk_residence_or_visit",
    "family_in_uk",
    "submission_order",
  ],
  approved: ["all_checks_passed"],
  refused: [
    "suitability_criminality",
    "suitability_deception",
    "suitability_other_grounds",
    "biometrics_not_provided",
    "document_not_reproduced",
    "security_checks",
    "previous_irregular_entry",
    "treaty_returnee",
  ],
} as const satisfies Record<Decision, readonly string[]>;

export type ReasonCode<D extends Decision = Decision> = (typeof reasonCodes)[D][number];

export const isDecision = (value: string): value is Decision =>
  (decisions as readonly string[]).includes(value);

export const isReasonFor = (decision: Decision, reason: string): boolean =>
  (reasonCodes[decision] as readonly string[]).includes(reason);

/** What the caseworker knows beyond the status: whether presence in France was ever confirmed. */
export interface CaseFacts {
  presenceConfirmed: boolean;
}

/** Presence in France is confirmed once the application has passed through "location_verified". */
export const presenceConfirmed = (history: readonly { toStatus: EoiStatus }[]): boolean =>
  history.some((h) => h.toStatus === "location_verified");

/**
 * Whether `decision` may be recorded on an application in `status`. Selection also needs presence
 * in France confirmed (R-LOC-1, treaty Art. 12(1)(a)): without it the applicant is not selected
 * but found invalid ("not_in_france") or waits for a new link (Part A §3).
 */
export function canDecide(status: EoiStatus, decision: Decision, facts: CaseFacts): boolean {
  if (!decisionFrom[decision].includes(status)) return false;
  if (decision === "selected" && !facts.presenceConfirmed) return false;
  return decisionPath(status, decision) !== null;
}

/** The decisions to offer on an application, in the order of the table above. */
export const allowedDecisions = (status: EoiStatus, facts: CaseFacts): Decision[] =>
  decisions.filter((d) => canDecide(status, d, facts));

/**
 * The statuses a decision passes through, last one the decision itself. Where the state machine
 * only allows it from "under_review" (e.g. location_verified → selected), the review starts in the
 * same transaction, so both changes are in the history.
 */
export function decisionPath(status: EoiStatus, decision: Decision): EoiStatus[] | null {
  if (canTransition(status, decision, "staff")) return [decision];
  if (canTransition(status, "under_review", "staff") && canTransition("under_review", decision, "staff"))
    return ["under_review", decision];
  return null;
}

/**
 * "Decides a family together" (Part A §5): the selection decision (selected or not selected) is
 * taken for every member of the family group still in stage one, in one transaction, so a family
 * is never split by selection. The other decisions are about one person (their document, their
 * presence, their history) and stay individual.
 */
export const decidedTogether = (decision: Decision): boolean =>
  decision === "selected" || decision === "not_selected";

/** A family member a family decision applies to: one still in stage one (not yet decided). */
export const openForFamilyDecision = (status: EoiStatus): boolean => isEoiStage(status);

/**
 * A family decision goes ahead only if it is allowed for every open member; otherwise nobody is
 * decided (e.g. an adult whose presence in France is not confirmed blocks the family's selection
 * until a caseworker decides that person individually).
 */
export function familyBlockers<M extends { status: EoiStatus; presenceConfirmed: boolean }>(
  decision: Decision,
  members: readonly M[],
): M[] {
  if (!decidedTogether(decision)) return [];
  return members.filter(
    (m) =>
      openForFamilyDecision(m.status) &&
      !canDecide(m.status, decision, { presenceConfirmed: m.presenceConfirmed }),
  );
}

/** The booking period of an invitation to stage two, in days (Part A §8: 14 by default). */
export const BOOKING_DAYS = { min: 7, max: 28, default: 14 } as const;

export const bookingDaysValid = (days: number): boolean =>
  Number.isInteger(days) && days >= BOOKING_DAYS.min && days <= BOOKING_DAYS.max;

const parisDay = (at: Date) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: PARIS, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(at)
    .split("-")
    .map(Number) as [number, number, number];

function parisOffsetMs(at: Date): number {
  const name =
    new Intl.DateTimeFormat("en-US", { timeZone: PARIS, timeZoneName: "longOffset" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value ?? "";
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60_000;
}

/**
 * The end of the booking period: the last moment of the `days`-th day after today, in Paris time,
 * so "book by 12 January" means all of 12 January wherever the applicant reads it.
 */
export function bookingDeadline(now: Date, days: number): Date {
  const [y, m, d] = parisDay(now);
  const midnightAsUtc = Date.UTC(y, m - 1, d + days + 1);
  // Paris midnight is UTC midnight minus the offset in force then (twice, in case DST changes).
  let midnight = midnightAsUtc - parisOffsetMs(new Date(midnightAsUtc));
  midnight = midnightAsUtc - parisOffsetMs(new Date(midnight));
  return new Date(midnight - 1);
}

/** A claim lasts 30 minutes and is renewed by each action of its holder. */
export const CLAIM_MINUTES = 30;

export const claimExpiry = (now: Date): Date => new Date(now.getTime() + CLAIM_MINUTES * 60_000);

export type ClaimState = "none" | "mine" | "other";

/** Who holds a case now: an expired claim is nobody's. */
export function claimState(
  claim: { staffId: string; expiresAt: Date } | null | undefined,
  staffId: string,
  now: Date,
): ClaimState {
  if (!claim || claim.expiresAt.getTime() <= now.getTime()) return "none";
  return claim.staffId === staffId ? "mine" : "other";
}

/** Case ids and upload ids are UUIDs; anything else is not found (and never reaches the database). */
export const isUuid = (value: string | undefined): value is string =>
  !!value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
