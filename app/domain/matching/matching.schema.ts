import * as z from "zod/mini";
import type { Field, PageRule } from "../forms/fields";
import { pageSchema } from "../forms/schema";
import { MAX_MATCH_BATCH, unmatchReasons } from "./matching.rules";

/*
 * The matching officer's forms (issue 7), declared as fields with one schema each, shared by the
 * action and the browser's validator. Texts are in locales/<lang>/matching.json under
 * fields.<name>; field names are unique across the queue and match pages, which hold several forms.
 */

/** "Match the next N people": a family counts as its number of people. */
export const matchNextFields: Field[] = [
  {
    kind: "text",
    name: "count",
    inputMode: "numeric",
    width: 3,
    max: 3,
    spellCheck: false,
    autoComplete: "off",
    normalise: (v) => v.replace(/\s/g, ""),
    check: (v) => /^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_MATCH_BATCH,
  },
];

/** The travel date the Home Office directed (domain.md Part A §8). */
export const travelFields: Field[] = [{ kind: "date", name: "travelDate" }];

/** Travel cannot be directed for a day already gone (the Paris day: where applicants are). */
export const travelRule =
  (today: () => string): PageRule =>
  (answers): Record<string, string> =>
    answers.travelDate && answers.travelDate < today()
      ? { travelDate: "matching:fields.travelDate.errors.past" }
      : {};

export const UNMATCH_NOTE_MAX = 500;

/** Why a match is undone; the note goes to the audit log with it. */
export const unmatchFields: Field[] = [
  { kind: "radios", name: "unmatchReason", options: unmatchReasons },
  { kind: "textarea", name: "unmatchNote", max: UNMATCH_NOTE_MAX, optional: true },
];

/** "Other" says nothing by itself, so it needs the note. */
export const unmatchRule: PageRule = (answers): Record<string, string> =>
  answers.unmatchReason === "other" && !answers.unmatchNote
    ? { unmatchNote: "matching:fields.unmatchNote.errors.requiredForOther" }
    : {};

/** Error codes beyond the fields' own, so a test can prove every message exists. */
export const matchingExtraCodes: Record<string, readonly string[]> = {
  travelDate: ["past"],
  unmatchNote: ["requiredForOther"],
};

export const matchNextSchema = () => pageSchema("matching", matchNextFields);
export const travelSchema = (today: () => string) =>
  pageSchema("matching", travelFields, today, travelRule(today));
export const unmatchSchema = () => pageSchema("matching", unmatchFields, undefined, unmatchRule);

const count = z.pipe(
  z.string().check(z.regex(/^\d{1,6}$/)),
  z.transform((v) => Number(v)),
);

/**
 * The result of a run, carried to the queue page in its query string after the redirect
 * (POST/redirect/GET). Anything else in the query string just shows no banner.
 */
export const runSummarySchema = z.pipe(
  z.object({
    done: z.enum(["run", "unit"]),
    requested: z.optional(count),
    matched: count,
    families: count,
    ahead: count,
    // An application reference (K7QM-2XHP-9D) or a family reference (F-K7QM-2XHP-9).
    ref: z.optional(
      z
        .string()
        .check(z.regex(/^(?:[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}|F-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9])$/)),
    ),
    run: z.optional(
      z.string().check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)),
    ),
    short: z.optional(z.enum(["nobody", "returns", "weekly_cap", "family"])),
    needed: z.optional(count),
    left: z.optional(count),
  }),
  z.transform((s) => ({
    kind: s.done,
    requested: s.requested ?? null,
    matched: s.matched,
    families: s.families,
    ahead: s.ahead,
    reference: s.ref ?? null,
    runId: s.run ?? null,
    shortfall: s.short ?? null,
    needed: s.needed ?? null,
    left: s.left ?? null,
  })),
);
export type RunSummary = z.output<typeof runSummarySchema>;
