import type { Field } from "../forms/fields";

/**
 * The applicant's booking forms (issue 6), declared like every question page. The choices come
 * from the database (the centres, the slots still free), so the fields are made per request.
 */
export const centreFields = (codes: readonly string[]): Field[] => [
  { kind: "radios", name: "centre", options: codes },
];

/** The slot list: one radio group (grouped by day on the page), the slot ids as values. */
export const slotFields = (slotIds: readonly string[]): Field[] => [
  { kind: "radios", name: "slot", options: slotIds },
];

export const cancelFields: Field[] = [{ kind: "checkbox", name: "confirmCancel" }];
