import * as z from "zod/mini";
import type { Answers, Field, Values } from "../forms/fields";
import { pageSchema } from "../forms/schema";
import { MAX_TOLERANCE, type ParityPolicy, parityPolicies } from "../matching/matching.rules";

/** The parity settings form (admins): the policy, its tolerance, and the weekly cap. */

export interface ParitySettings {
  policy: ParityPolicy;
  /** Admissions allowed ahead of completed returns; 0 unless the policy is "tolerance". */
  tolerance: number;
  /** Admissions allowed per week; null for no cap. */
  weeklyCap: number | null;
}

/** Spaces people type as thousands separators ("1 000"). */
const digitsOnly = (v: string) => v.replace(/[\s\u00a0\u202f]/g, "");

export const paritySettingsFields: Field[] = [
  {
    kind: "radios",
    name: "parityPolicy",
    options: parityPolicies,
    conditional: {
      tolerance: [
        {
          kind: "text",
          name: "parityTolerance",
          inputMode: "numeric",
          width: 4,
          max: 12,
          spellCheck: false,
          autoComplete: "off",
          normalise: digitsOnly,
          pattern: /^\d{1,4}$/,
          check: (v) => Number(v) >= 1 && Number(v) <= MAX_TOLERANCE,
        },
      ],
    },
  },
  {
    kind: "text",
    name: "weeklyCap",
    optional: true,
    inputMode: "numeric",
    width: 5,
    max: 12,
    spellCheck: false,
    autoComplete: "off",
    normalise: digitsOnly,
    // Zero is a cap too: no admissions this week.
    pattern: /^\d{1,6}$/,
  },
];

/** Error codes beyond the fields' own (the database's refusals), so a test can prove every message exists. */
export const paritySettingsExtraCodes: Record<string, readonly string[]> = {
  parityPolicy: ["aheadOfReturns"],
  parityTolerance: ["belowAhead"],
  weeklyCap: ["belowAdmitted"],
};

export function settingsFromAnswers(answers: Answers): ParitySettings {
  const policy = answers.parityPolicy as ParityPolicy;
  return {
    policy,
    tolerance: policy === "tolerance" ? Number(answers.parityTolerance) : 0,
    weeklyCap: answers.weeklyCap === undefined ? null : Number(answers.weeklyCap),
  };
}

/** The current settings as the form shows them. */
export function settingsToValues(settings: ParitySettings): Values {
  return {
    parityPolicy: settings.policy,
    ...(settings.policy === "tolerance" ? { parityTolerance: String(settings.tolerance) } : {}),
    ...(settings.weeklyCap === null ? {} : { weeklyCap: String(settings.weeklyCap) }),
  };
}

/** The form's one schema: what the browser posts in, the settings out. */
export const paritySettingsSchema = () =>
  z.pipe(pageSchema("parity", paritySettingsFields), z.transform(settingsFromAnswers));
