import type { Field, PageRule } from "../forms/fields";
import { pauseReasons, windowRuleCodes } from "./windows.rules";

/** Back-office window forms, declared as fields (one schema each: windows.schema.ts). */

/** Up to 9,999,999 EOIs: a whole number, spaces allowed as thousands separators ("1 000"). */
const CAP_PATTERN = /^[1-9]\d{0,6}$/;

export const windowFields: Field[] = [
  { kind: "text", name: "name", autoComplete: "off", max: 120 },
  { kind: "date", name: "opensOn", autoComplete: "off" },
  { kind: "date", name: "lastDay", autoComplete: "off" },
  {
    kind: "text",
    name: "cap",
    optional: true,
    inputMode: "numeric",
    width: 10,
    max: 12,
    spellCheck: false,
    autoComplete: "off",
    normalise: (v) => v.replace(/[\s\u00a0\u202f]/g, ""),
    pattern: CAP_PATTERN,
  },
];

/** The last day is on or after the first (the same rule the service checks on instants). */
export const windowRule: PageRule = (answers): Record<string, string> =>
  answers.opensOn && answers.lastDay && answers.lastDay < answers.opensOn
    ? { lastDay: "backoffice:fields.lastDay.errors.beforeOpens" }
    : {};

export const pauseFields: Field[] = [
  {
    kind: "radios",
    name: "pauseReason",
    options: pauseReasons,
    conditional: { other: [{ kind: "textarea", name: "pauseDetails", max: 500 }] },
  },
];

/** Error codes beyond the fields' own, so a test can prove every message exists. */
export const windowExtraCodes: Record<string, readonly string[]> = windowRuleCodes;
