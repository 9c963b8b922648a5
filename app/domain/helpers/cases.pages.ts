import { consentMethods } from "../../../db/schema/people";
import type { Field } from "../forms/fields";

/** The helpers' case forms, declared as fields (one schema each: cases.schema.ts; texts in caseload.json). */

/** Recorded before an assisted application starts: who gave consent, and how. */
export const consentFields: Field[] = [
  { kind: "text", name: "applicantName", autoComplete: "off", spellCheck: false, max: 120 },
  { kind: "radios", name: "consentMethod", options: consentMethods },
  { kind: "checkbox", name: "consentConfirmed" },
];

/** Handing a case over: one of the organisation's active helpers, by id. */
export const handOverFields = (colleagueIds: readonly string[]): Field[] => [
  { kind: "radios", name: "colleague", options: colleagueIds },
];
