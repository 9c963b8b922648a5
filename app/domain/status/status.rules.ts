import type { EoiStatus } from "../../../db/schema/eoi";

export type { EoiStatus };
export type ActorKind = "applicant" | "helper" | "system" | "staff";

/**
 * The application's state machine (domain.md Part B §7.2, Part A §7). Each allowed change names
 * who may make it; anything else is refused. Terminal states have no way out.
 */
const transitions: Record<EoiStatus, Partial<Record<EoiStatus, ActorKind[]>>> = {
  draft: { submitted: ["applicant", "helper"] },
  submitted: {
    location_verified: ["system"],
    location_unverified: ["system"],
    under_review: ["staff"],
    invalid: ["staff"],
    withdrawn: ["applicant", "helper"],
  },
  location_verified: {
    under_review: ["staff"],
    invalid: ["staff"],
    not_eligible: ["staff"],
    withdrawn: ["applicant", "helper"],
  },
  // A new link may still confirm presence later in the same window (Part A §3).
  location_unverified: {
    location_verified: ["system"],
    under_review: ["staff"],
    invalid: ["staff"],
    withdrawn: ["applicant", "helper"],
  },
  under_review: {
    invalid: ["staff"],
    not_eligible: ["staff"],
    not_selected: ["staff"],
    selected: ["staff"],
    refused: ["staff"],
    withdrawn: ["applicant", "helper"],
  },
  selected: {
    appointment_booked: ["applicant", "helper", "staff"],
    refused: ["staff"],
    withdrawn: ["applicant", "helper"],
  },
  // Cancelling or missing an appointment goes back to "selected" so the applicant can book again.
  appointment_booked: {
    selected: ["applicant", "helper", "staff"],
    biometrics_enrolled: ["staff"],
    refused: ["staff"],
    withdrawn: ["applicant", "helper"],
  },
  biometrics_enrolled: { approved: ["staff"], refused: ["staff"], withdrawn: ["applicant", "helper"] },
  approved: { matched: ["staff"], refused: ["staff"], withdrawn: ["applicant", "helper"] },
  // Unmatching (with a reason) returns the applicant to the queue.
  matched: { arrived: ["staff"], approved: ["staff"], withdrawn: ["applicant", "helper"] },
  arrived: {},
  invalid: {},
  not_eligible: {},
  not_selected: {},
  refused: {},
  withdrawn: {},
};

export function canTransition(from: EoiStatus, to: EoiStatus, actor: ActorKind): boolean {
  return transitions[from][to]?.includes(actor) ?? false;
}

export const isTerminal = (status: EoiStatus) => Object.keys(transitions[status]).length === 0;

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: EoiStatus,
    readonly to: EoiStatus,
    readonly actor: ActorKind,
  ) {
    super(`Status change ${from} → ${to} is not allowed for ${actor}`);
  }
}

/** Statuses the applicant is told about by email/SMS (every change that matters to them). */
export const notifiedStatuses: ReadonlySet<EoiStatus> = new Set<EoiStatus>([
  "location_verified",
  "location_unverified",
  "invalid",
  "not_eligible",
  "not_selected",
  "selected",
  "appointment_booked",
  "biometrics_enrolled",
  "approved",
  "matched",
  "refused",
  "withdrawn",
]);
