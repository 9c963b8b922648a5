import type { Field, PageRule } from "../forms/fields";
import { MAX_GENERATION_WEEKS, mismatchReasons, patternErrors, weekdays } from "./centre.rules";

/** Centre staff's forms, declared as fields (one schema each: centre.schema.ts). */

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** "9:00" and "9h00" are read as 09:00. */
const normaliseTime = (v: string) => v.replace(/[hH.]/, ":").replace(/^(\d):/, "0$1:");
const whole = (min: number, max: number) => (v: string) =>
  /^\d{1,3}$/.test(v) && Number(v) >= min && Number(v) <= max;

const number = {
  kind: "text",
  inputMode: "numeric",
  width: 3,
  max: 5,
  spellCheck: false,
  autoComplete: "off",
} as const;

export const patternFields: Field[] = [
  { kind: "radios", name: "weekday", options: weekdays },
  {
    kind: "text",
    name: "startTime",
    width: 5,
    max: 5,
    autoComplete: "off",
    normalise: normaliseTime,
    pattern: TIME,
  },
  {
    kind: "text",
    name: "endTime",
    width: 5,
    max: 5,
    autoComplete: "off",
    normalise: normaliseTime,
    pattern: TIME,
  },
  { ...number, name: "slotMinutes", check: whole(5, 240) },
  { ...number, name: "places", check: whole(1, 100) },
  { kind: "date", name: "validFrom", autoComplete: "off" },
  { kind: "date", name: "validTo", optional: true, autoComplete: "off" },
];

export const patternRule: PageRule = (answers) =>
  Object.fromEntries(
    Object.entries(patternErrors(answers)).map(([field, code]) => [
      field,
      `centres:fields.${field}.errors.${code}`,
    ]),
  );

export const closureFields: Field[] = [
  { kind: "date", name: "closedOn", autoComplete: "off" },
  { kind: "text", name: "closureReason", max: 200, autoComplete: "off" },
];

/** A closure on a past day closes nothing. */
export const closureRule =
  (today: () => string): PageRule =>
  (answers): Record<string, string> =>
    answers.closedOn && answers.closedOn < today() ? { closedOn: "centres:fields.closedOn.errors.past" } : {};

export const generateFields: Field[] = [{ ...number, name: "weeks", check: whole(1, MAX_GENERATION_WEEKS) }];

export const enrolmentFields: Field[] = [
  {
    kind: "radios",
    name: "documentMatches",
    options: ["yes", "no"],
    conditional: { no: [{ kind: "radios", name: "mismatchReason", options: mismatchReasons }] },
  },
];

/** Error codes beyond the fields' own, so a test can prove every message exists. */
export const centreExtraCodes: Record<string, readonly string[]> = {
  endTime: ["beforeStart"],
  slotMinutes: ["exceedsBlock"],
  validTo: ["beforeFrom"],
  closedOn: ["past", "already_closed"],
};
