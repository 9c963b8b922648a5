import { readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cancelFields, centreFields, slotFields } from "~/domain/appointments/booking.pages";
import { cancelSchema, centreSchema, slotSchema } from "~/domain/appointments/booking.schema";
import {
  closureFields,
  enrolmentFields,
  generateFields,
  patternFields,
} from "~/domain/appointments/centre.pages";
import {
  closureSchema,
  enrolmentSchema,
  generateSchema,
  patternSchema,
} from "~/domain/appointments/centre.schema";
import { auditFilterFields } from "~/domain/audit/audit-search.pages";
import { parseAuditQuery } from "~/domain/audit/audit-search.server";
import { noteFields } from "~/domain/cases/cases.pages";
import { decisionFormFields, decisionSchema, noteSchema } from "~/domain/cases/cases.schema";
import { queueParams, queueQuerySchema, queueValues } from "~/domain/cases/queue.rules";
import {
  childFields,
  codeFields,
  contactFields,
  declarationFields,
  eligibilityPages,
  sections,
} from "~/domain/eoi/eoi.pages";
import {
  childSchema,
  codeSchema,
  contactSchema,
  declarationSchema,
  schemaFor,
} from "~/domain/eoi/eoi.schema";
import { type Field, flatFields, inputNames } from "~/domain/forms/fields";
import { MAX_TOLERANCE, parityPolicies } from "~/domain/matching/matching.rules";
import {
  matchNextFields,
  matchNextSchema,
  runSummarySchema,
  travelFields,
  travelSchema,
  unmatchFields,
  unmatchSchema,
} from "~/domain/matching/matching.schema";
import {
  type ParitySettings,
  paritySettingsFields,
  paritySettingsSchema,
} from "~/domain/parity/parity.schema";
import { stageChangeFields } from "~/domain/returns/returns.pages";
import { stages } from "~/domain/returns/returns.rules";
import {
  csvColumns,
  lineErrorCodes,
  type ReturnLine,
  returnLineSchema,
  stageChangeSchema,
} from "~/domain/returns/returns.schema";
import {
  accountFields,
  changePasswordFields,
  profileFields,
  signInFields,
  totpFields,
} from "~/domain/staff/staff.pages";
import {
  accountSchema,
  changePasswordSchema,
  profileSchema,
  signInSchema,
  totpSchema,
} from "~/domain/staff/staff.schema";
import { signInFields as statusSignInFields, withdrawFields } from "~/domain/status/status.pages";
import { signInSchema as statusSignInSchema, withdrawSchema } from "~/domain/status/status.schema";
import { pauseFields, windowFields } from "~/domain/windows/windows.pages";
import { pauseSchema, windowSchema } from "~/domain/windows/windows.schema";
import { createTestI18n } from "../support/i18n";
import { repoRoot } from "../support/test-env";
import { fieldValue, hostileString, passingValues, prototypeNames, wrongType } from "./arbitraries";

/*
 * Every zod schema the service parses input with, fed hostile records: it never throws; a refusal
 * names the field and says why with a message that exists in English; what it accepts is within
 * each field's limits. Forms are enumerated from their definitions, so a new question page of the
 * EOI is covered without touching this file, and a new *.schema.ts export fails the first test
 * until it is listed here.
 */

const RUNS = 150;
const i18n = createTestI18n("en");
const today = () => new Date().toISOString().slice(0, 10);

interface Schema {
  safeParse(input: unknown): {
    success: boolean;
    data?: unknown;
    error?: { issues: { path: PropertyKey[]; message: string; code: string }[] };
  };
}

interface PageForm {
  /** "<folder>/<file>:<export>", as the coverage check finds it. */
  id: string;
  fields: Field[];
  schema: Schema;
  /** What a success must hold; by default, answers within each field's limits. */
  checkOutput?: (data: unknown) => void;
}

const eoiPages = [...eligibilityPages, ...sections.flatMap((s) => s.pages)].filter((p) => !p.custom);
const slotIds = [crypto.randomUUID(), crypto.randomUUID()];
const returnContext = { from: "arrived", matched: false, arrivalDay: "2025-01-10", today: today() } as const;

const forms: PageForm[] = [
  ...eoiPages.map((page) => ({
    id: `eoi/eoi.schema.ts:schemaFor(${page.slug})`,
    fields: page.fields,
    schema: schemaFor(page),
  })),
  { id: "eoi/eoi.schema.ts:contactSchema", fields: contactFields, schema: contactSchema() },
  { id: "eoi/eoi.schema.ts:codeSchema", fields: codeFields, schema: codeSchema() },
  { id: "eoi/eoi.schema.ts:declarationSchema", fields: declarationFields, schema: declarationSchema() },
  { id: "eoi/eoi.schema.ts:childSchema", fields: childFields, schema: childSchema() },
  {
    id: "appointments/booking.schema.ts:centreSchema",
    fields: centreFields(["PAR", "LIL"]),
    schema: centreSchema(["PAR", "LIL"]),
  },
  {
    id: "appointments/booking.schema.ts:slotSchema",
    fields: slotFields(slotIds),
    schema: slotSchema(slotIds),
  },
  { id: "appointments/booking.schema.ts:cancelSchema", fields: cancelFields, schema: cancelSchema() },
  { id: "appointments/centre.schema.ts:patternSchema", fields: patternFields, schema: patternSchema() },
  {
    id: "appointments/centre.schema.ts:closureSchema",
    fields: closureFields,
    schema: closureSchema(today),
  },
  { id: "appointments/centre.schema.ts:generateSchema", fields: generateFields, schema: generateSchema() },
  { id: "appointments/centre.schema.ts:enrolmentSchema", fields: enrolmentFields, schema: enrolmentSchema() },
  { id: "cases/cases.schema.ts:decisionSchema", fields: decisionFormFields(), schema: decisionSchema() },
  { id: "cases/cases.schema.ts:noteSchema", fields: noteFields, schema: noteSchema() },
  { id: "staff/staff.schema.ts:signInSchema", fields: signInFields, schema: signInSchema() },
  { id: "staff/staff.schema.ts:totpSchema", fields: totpFields, schema: totpSchema() },
  { id: "staff/staff.schema.ts:accountSchema", fields: accountFields, schema: accountSchema() },
  { id: "staff/staff.schema.ts:profileSchema", fields: profileFields, schema: profileSchema() },
  {
    id: "staff/staff.schema.ts:changePasswordSchema",
    fields: changePasswordFields,
    schema: changePasswordSchema(),
  },
  { id: "status/status.schema.ts:signInSchema", fields: statusSignInFields, schema: statusSignInSchema() },
  { id: "status/status.schema.ts:withdrawSchema", fields: withdrawFields, schema: withdrawSchema() },
  { id: "windows/windows.schema.ts:windowSchema", fields: windowFields, schema: windowSchema() },
  { id: "windows/windows.schema.ts:pauseSchema", fields: pauseFields, schema: pauseSchema() },
  { id: "matching/matching.schema.ts:matchNextSchema", fields: matchNextFields, schema: matchNextSchema() },
  { id: "matching/matching.schema.ts:travelSchema", fields: travelFields, schema: travelSchema(today) },
  { id: "matching/matching.schema.ts:unmatchSchema", fields: unmatchFields, schema: unmatchSchema() },
  {
    id: "returns/returns.schema.ts:stageChangeSchema",
    fields: stageChangeFields,
    schema: stageChangeSchema(returnContext),
  },
  {
    id: "parity/parity.schema.ts:paritySettingsSchema",
    fields: paritySettingsFields,
    schema: paritySettingsSchema(),
    checkOutput: (data) => {
      const settings = data as ParitySettings;
      expect(parityPolicies).toContain(settings.policy);
      expect(Number.isInteger(settings.tolerance) && settings.tolerance <= MAX_TOLERANCE).toBe(true);
      if (settings.weeklyCap !== null) expect(settings.weeklyCap).toBeLessThanOrEqual(999_999);
    },
  },
];

/** Schemas that are not built from fields, checked by their own properties below. */
const otherSchemas = [
  "matching/matching.schema.ts:runSummarySchema",
  "returns/returns.schema.ts:returnLineSchema",
];

/** The schemas exported by app/domain/**\/*.schema.ts (not yet the NGO helpers', still being built). */
async function exportedSchemas(): Promise<string[]> {
  const domain = join(repoRoot, "app/domain");
  const files = readdirSync(domain, { recursive: true, encoding: "utf8" }).filter(
    (f) => f.endsWith(".schema.ts") && !f.startsWith("helpers"),
  );
  const names: string[] = [];
  for (const file of files) {
    const module = (await import(join(domain, file))) as Record<string, unknown>;
    for (const name of Object.keys(module))
      if (/schema/i.test(name) && name !== "schemaFor") names.push(`${file}:${name}`);
  }
  return names;
}

/** An i18n key with English words behind it ("apply:fields.names.errors.required"). */
const exists = (key: string) => i18n.exists(key);

/** A record as a form, or anything else, could send: known inputs, unknown keys, wrong types. */
function anyRecord(fields: readonly Field[]) {
  const samples = passingValues(fields);
  // Each input given or not, so every combination of conditional fields comes up; now and then
  // not a string (the browser's validator, a bug).
  const value = (name: string) =>
    fc.oneof({ arbitrary: fieldValue(samples[name] ?? []), weight: 8 }, { arbitrary: wrongType, weight: 1 });
  const known = fc.record(Object.fromEntries(Object.keys(samples).map((n) => [n, value(n)])), {
    requiredKeys: [],
  });
  const unknown = fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom("csrf", ...prototypeNames), fc.string({ maxLength: 8 })),
      hostileString,
    ),
    { maxLength: 2 },
  );
  const record = fc
    .tuple(known, fc.oneof({ arbitrary: fc.constant([]), weight: 6 }, { arbitrary: unknown, weight: 1 }))
    .map(([values, extra]) => ({ ...values, ...Object.fromEntries(extra) }) as Record<string, unknown>);
  return fc.oneof({ arbitrary: record, weight: 20 }, { arbitrary: wrongType, weight: 1 });
}

/** Answers within every field's limits: text to its max, choices among the options, ISO dates. */
function expectAnswersWithinLimits(fields: Field[], data: unknown) {
  const answers = data as Record<string, unknown>;
  const byName = new Map(flatFields(fields).map((f) => [f.name, f]));
  for (const [name, value] of Object.entries(answers)) {
    const field = byName.get(name);
    expect(field, `answer ${name} is not a field`).toBeDefined();
    expect(typeof value).toBe("string");
    const text = value as string;
    switch (field?.kind) {
      case "text":
        expect(text.length).toBeLessThanOrEqual(field.max ?? 100);
        break;
      case "textarea":
        expect(text.length).toBeLessThanOrEqual(field.max ?? 1000);
        break;
      case "radios":
      case "select":
        expect(field.options).toContain(text);
        break;
      case "checkbox":
        expect(text).toBe("yes");
        break;
      case "date":
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(text).toBe(text.trim());
  }
}

it("covers every schema the domain exports", async () => {
  const covered = new Set([...forms.map((f) => f.id.replace(/\(.*\)$/, "")), ...otherSchemas]);
  expect((await exportedSchemas()).filter((id) => !covered.has(id))).toEqual([]);
  // Every EOI question page (not uploads or children, which have their own routes) is in the list.
  expect(forms.filter((f) => f.id.startsWith("eoi/eoi.schema.ts:schemaFor(")).length).toBe(eoiPages.length);
});

describe.each(forms)("$id", ({ fields, schema, checkOutput }) => {
  const inputs = new Set(flatFields(fields).flatMap(inputNames));

  it("never throws; refuses with the field's own message, or accepts values within its limits", () => {
    fc.assert(
      fc.property(anyRecord(fields), (input) => {
        const result = schema.safeParse(input);
        if (result.success) {
          (checkOutput ?? ((data) => expectAnswersWithinLimits(fields, data)))(result.data);
          return;
        }
        for (const issue of result.error?.issues ?? []) {
          const [key] = issue.path;
          if (key === undefined) {
            // Not a record, or a key the form does not have: never a browser's post. The route's
            // fieldErrors has no field to show it on, so it answers 422 with the form as it was.
            expect(["invalid_type", "unrecognized_keys"]).toContain(issue.code);
            continue;
          }
          expect(inputs.has(String(key)) || flatFields(fields).some((f) => f.name === key), String(key)).toBe(
            true,
          );
          expect(exists(issue.message), `${String(key)}: ${issue.message}`).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("the audit search's query string", () => {
  const names = flatFields(auditFilterFields).flatMap(inputNames);
  const samples = passingValues(auditFilterFields);

  it("is read into filters or field errors that exist, whatever it holds", () => {
    const query = fc.array(
      fc
        .oneof(fc.constantFrom(...names, "after"), fc.string({ maxLength: 6 }))
        .chain((k) => fc.tuple(fc.constant(k), fieldValue(samples[k] ?? []))),
      { maxLength: 10 },
    );
    fc.assert(
      fc.property(query, (pairs) => {
        const parsed = parseAuditQuery(new URLSearchParams(pairs));
        if (parsed.ok) {
          expectAnswersWithinLimits(auditFilterFields, parsed.filters);
          if (parsed.after !== undefined) expect(Number.isSafeInteger(parsed.after)).toBe(true);
          return;
        }
        for (const [field, key] of Object.entries(parsed.errors)) {
          expect(names.some((n) => n.startsWith(field))).toBe(true);
          expect(exists(key), key).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("the caseworkers' queue query string", () => {
  it("gives filters within bounds, or errors that exist, one per known parameter", () => {
    const query = fc.array(
      fc.tuple(fc.oneof(fc.constantFrom(...queueParams), fc.string({ maxLength: 6 })), hostileString),
      { maxLength: 10 },
    );
    fc.assert(
      fc.property(query, (pairs) => {
        const result = queueQuerySchema.safeParse(queueValues(new URLSearchParams(pairs)));
        if (result.success) {
          expect(result.data.filters.search?.text.length ?? 0).toBeLessThanOrEqual(200);
          return;
        }
        for (const issue of result.error.issues) {
          expect(queueParams).toContain(issue.path[0]);
          expect(exists(issue.message), issue.message).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("the matching run summary in the queue page's query string", () => {
  it("is a summary of small whole numbers, or no banner at all", () => {
    const value = fc.oneof(
      hostileString,
      fc.stringMatching(/^\d{1,7}$/),
      fc.constantFrom("run", "unit", "nobody"),
    );
    const keys = fc.constantFrom(
      "done",
      "requested",
      "matched",
      "families",
      "ahead",
      "ref",
      "run",
      "short",
      "needed",
      "left",
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(keys, value), { maxLength: 12 }), (pairs) => {
        const result = runSummarySchema.safeParse(Object.fromEntries(new URLSearchParams(pairs)));
        if (!result.success) return;
        for (const n of [result.data.matched, result.data.families, result.data.ahead])
          expect(Number.isSafeInteger(n) && n >= 0 && n <= 999_999).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("a line of a returns CSV file", () => {
  const schema = returnLineSchema(today());
  const passing: Partial<Record<(typeof csvColumns)[number], string[]>> = {
    person_ref: ["HO-2025-0001", "R/77.b"],
    full_name: ["Amina Haddad"],
    date_of_birth: ["1990-04-12"],
    nationality: ["ER", "stateless", "fr"],
    age_category: ["adult", "accompanied_minor"],
    small_boat_arrival_date: ["2025-01-10"],
    stage: [...stages],
    readmission_requested_date: ["2025-01-12"],
    france_responded_date: ["2025-01-20"],
    removal_directions_date: ["2025-01-25"],
    transferred_date: ["2025-02-01"],
  };

  it("is a line within the register's limits, or errors per column with words for each", () => {
    // Each column given or not, as a header line decides.
    const line = fc.record(Object.fromEntries(csvColumns.map((c) => [c, fieldValue(passing[c] ?? [])])), {
      requiredKeys: [],
    });
    fc.assert(
      fc.property(line, (raw) => {
        const result = schema.safeParse(raw);
        if (result.success) {
          const l = result.data as ReturnLine;
          expect(l.personRef.length).toBeLessThanOrEqual(64);
          expect(l.fullName.length).toBeLessThanOrEqual(200);
          expect(l.documentNumber?.length ?? 0).toBeLessThanOrEqual(50);
          expect(l.note?.length ?? 0).toBeLessThanOrEqual(1000);
          expect(stages).toContain(l.stage);
          return;
        }
        for (const issue of result.error.issues) {
          const column = issue.path[0] as (typeof csvColumns)[number];
          expect(lineErrorCodes[column], String(column)).toContain(issue.message);
          expect(exists(`returns:lineErrors.${column}.${issue.message}`)).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
