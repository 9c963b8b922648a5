import type { Answers, Field } from "../forms/fields";
import { BOOKING_DAYS, type Decision, decisions, reasonCodes } from "./cases.rules";

/**
 * The caseworker's forms, declared as fields (one schema each: cases.schema.ts). Texts are in
 * locales/<lang>/case.json under fields.<name>.
 */

/** Each decision's reason is its own radios, shown under the decision (GOV.UK conditional reveal). */
export const reasonField = (decision: Decision): string =>
  `${decision.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())}Reason`;

export const bookingDaysField: Field = {
  kind: "text",
  name: "bookingDays",
  inputMode: "numeric",
  width: 2,
  max: 2,
  pattern: /^\d{1,2}$/,
  check: (v) => Number(v) >= BOOKING_DAYS.min && Number(v) <= BOOKING_DAYS.max,
};

/**
 * The decision form: the decision (only those allowed from the case's status), its reason, the
 * booking period for an invitation, and a confirmation.
 */
export function decisionFields(allowed: readonly Decision[] = decisions): Field[] {
  return [
    {
      kind: "radios",
      name: "decision",
      options: allowed,
      conditional: Object.fromEntries(
        allowed.map((d) => [
          d,
          [
            { kind: "radios", name: reasonField(d), options: reasonCodes[d] } satisfies Field,
            ...(d === "selected" ? [bookingDaysField] : []),
          ],
        ]),
      ),
    },
    { kind: "checkbox", name: "confirmDecision" },
  ];
}

/** A note is private to caseworkers; long enough for a paragraph or two, short of a file. */
export const NOTE_MAX = 4000;

export const noteFields: Field[] = [{ kind: "textarea", name: "note", max: NOTE_MAX }];

/** Errors the decision service can give back on the decision field (beyond the form's own). */
export const decisionServiceErrors = [
  "notAllowed",
  "claimRequired",
  "familyNotReady",
  "familyClaimed",
] as const;

export interface DecisionInput {
  decision: Decision;
  reason: string;
  bookingDays?: number;
}

/** The validated answers of the decision form as the service takes them. */
export function decisionInput(answers: Answers): DecisionInput {
  const decision = answers.decision as Decision;
  return {
    decision,
    reason: answers[reasonField(decision)] ?? "",
    ...(decision === "selected" ? { bookingDays: Number(answers.bookingDays) } : {}),
  };
}
