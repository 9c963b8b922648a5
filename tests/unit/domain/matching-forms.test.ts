import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decisionFormFields, decisionSchema } from "~/domain/cases/cases.schema";
import { codesOf, type Field, flatFields } from "~/domain/forms/fields";
import { MAX_MATCH_BATCH, unmatchReasons } from "~/domain/matching/matching.rules";
import {
  matchingExtraCodes,
  matchNextFields,
  matchNextSchema,
  runSummarySchema,
  travelFields,
  travelSchema,
  unmatchFields,
  unmatchSchema,
} from "~/domain/matching/matching.schema";
import { PRIORITY_BANDS } from "~/domain/matching/priority";
import { renderMessage } from "~/domain/notifications/render.server";
import { repoRoot } from "../../support/test-env";

const message = (result: { error?: { issues: { message: string }[] } }) => result.error?.issues[0]?.message;

describe("match the next N", () => {
  it.each(["1", "10", " 25 ", "500"])("takes %j", (count) => {
    expect(matchNextSchema().safeParse({ count }).data).toEqual({ count: count.trim() });
  });

  it.each([
    ["", "required"],
    ["0", "invalid"],
    ["501", "invalid"],
    ["-3", "invalid"],
    ["1.5", "invalid"],
    ["ten", "invalid"],
    ["1000", "tooLong"],
  ])("refuses %j (%s)", (count, code) => {
    expect(message(matchNextSchema().safeParse({ count }))).toBe(`matching:fields.count.errors.${code}`);
  });

  it("refuses fields the form does not have", () => {
    expect(matchNextSchema().safeParse({ count: "3", extra: "x" }).success).toBe(false);
  });
});

describe("the travel date", () => {
  const schema = travelSchema(() => "2026-12-04");
  const day = (d: string, m: string, y: string) => ({
    "travelDate-day": d,
    "travelDate-month": m,
    "travelDate-year": y,
  });

  it("is today or later, in Paris", () => {
    expect(schema.safeParse(day("4", "12", "2026")).data).toEqual({ travelDate: "2026-12-04" });
    expect(schema.safeParse(day("1", "1", "2027")).data).toEqual({ travelDate: "2027-01-01" });
    expect(message(schema.safeParse(day("3", "12", "2026")))).toBe("matching:fields.travelDate.errors.past");
  });

  it("is a whole, real date", () => {
    expect(message(schema.safeParse(day("", "", "")))).toBe("matching:fields.travelDate.errors.required");
    expect(message(schema.safeParse(day("4", "", "2026")))).toBe(
      "matching:fields.travelDate.errors.incomplete",
    );
    expect(message(schema.safeParse(day("31", "2", "2027")))).toBe(
      "matching:fields.travelDate.errors.invalid",
    );
  });
});

describe("unmatching", () => {
  it("needs a reason from the list", () => {
    expect(message(unmatchSchema().safeParse({}))).toBe("matching:fields.unmatchReason.errors.required");
    expect(message(unmatchSchema().safeParse({ unmatchReason: "bored" }))).toBe(
      "matching:fields.unmatchReason.errors.required",
    );
    for (const reason of unmatchReasons.filter((r) => r !== "other"))
      expect(unmatchSchema().safeParse({ unmatchReason: reason }).data).toEqual({ unmatchReason: reason });
  });

  it("needs a note of 500 characters at most for 'other'", () => {
    expect(message(unmatchSchema().safeParse({ unmatchReason: "other", unmatchNote: "  " }))).toBe(
      "matching:fields.unmatchNote.errors.requiredForOther",
    );
    expect(message(unmatchSchema().safeParse({ unmatchReason: "other", unmatchNote: "x".repeat(501) }))).toBe(
      "matching:fields.unmatchNote.errors.tooLong",
    );
    expect(unmatchSchema().safeParse({ unmatchReason: "other", unmatchNote: "No flight" }).data).toEqual({
      unmatchReason: "other",
      unmatchNote: "No flight",
    });
  });
});

describe("the result of a run in the query string", () => {
  it("reads what the action wrote, and nothing else", () => {
    const read = (query: string) =>
      runSummarySchema.safeParse(Object.fromEntries(new URLSearchParams(query)));
    expect(
      read("done=run&requested=10&matched=3&families=1&ahead=0&short=family&needed=3&left=1").data,
    ).toEqual({
      kind: "run",
      requested: 10,
      matched: 3,
      families: 1,
      ahead: 0,
      reference: null,
      runId: null,
      shortfall: "family",
      needed: 3,
      left: 1,
    });
    expect(read("done=unit&matched=2&families=1&ahead=0&ref=F-ABCD-EFGH-J").data?.reference).toBe(
      "F-ABCD-EFGH-J",
    );
    const run = "3bf694ab-c01a-4b2d-bcd1-d42e783d2584";
    expect(read(`done=run&matched=1&families=0&ahead=0&run=${run}`).data?.runId).toBe(run);
    expect(read("done=run&matched=1&families=0&ahead=0&run=../x").success).toBe(false);
    expect(read("").success).toBe(false);
    expect(read("done=run&matched=-1&families=0&ahead=0").success).toBe(false);
    expect(read("done=run&matched=1&families=0&ahead=0&ref=<script>").success).toBe(false);
  });
});

describe("the approval's vulnerability box", () => {
  it("is asked under the approval only, after its reason", () => {
    const [decision] = decisionFormFields(["approved", "refused"]);
    const conditional = decision?.kind === "radios" ? decision.conditional : undefined;
    expect(conditional?.approved?.map((f) => f.name)).toEqual(["approvedReason", "vulnerable"]);
    expect(conditional?.refused?.map((f) => f.name)).toEqual(["refusedReason"]);
  });

  it("is optional, and counts only with an approval", () => {
    const approve = { decision: "approved", approvedReason: "all_checks_passed", confirmDecision: "yes" };
    expect(decisionSchema().safeParse(approve).data).toEqual(approve);
    expect(decisionSchema().safeParse({ ...approve, vulnerable: "yes" }).data).toMatchObject({
      vulnerable: "yes",
    });
    const refuse = { decision: "refused", refusedReason: "security_checks", confirmDecision: "yes" };
    expect(decisionSchema().safeParse({ ...refuse, vulnerable: "yes" }).data).toEqual(refuse);
  });
});

interface FieldTexts {
  label?: string;
  hint?: string;
  options?: Record<string, string>;
  errors?: Record<string, string>;
}
const load = (lang: string, ns: string) =>
  JSON.parse(readFileSync(join(repoRoot, "locales", lang, `${ns}.json`), "utf8")) as {
    fields: Record<string, FieldTexts>;
    bands: Record<string, string>;
  };

describe.each(["en", "fr", "ar"])("locales/%s", (lang) => {
  const matching = load(lang, "matching");
  const fields: Field[] = [...matchNextFields, ...travelFields, ...flatFields(unmatchFields)];

  it("matching.json has a label, the options and a message for every error each field can give", () => {
    for (const field of fields) {
      const texts = matching.fields[field.name];
      expect(texts?.label, field.name).toBeTruthy();
      const options = field.kind === "radios" ? field.options : [];
      expect(Object.keys(texts?.options ?? {}).sort(), field.name).toEqual([...options].sort());
      for (const code of [...codesOf(field), ...(matchingExtraCodes[field.name] ?? [])])
        expect(texts?.errors?.[code], `${field.name}.${code}`).toBeTruthy();
    }
  });

  it("matching.json names every priority band and states the batch limit", () => {
    expect(Object.keys(matching.bands)).toEqual(PRIORITY_BANDS.map(String));
    expect(matching.fields.count?.hint).toContain(String(MAX_MATCH_BATCH));
    expect(matching.fields.count?.errors?.invalid).toContain(String(MAX_MATCH_BATCH));
  });

  it("case.json explains the vulnerability box", () => {
    const vulnerable = load(lang, "case").fields.vulnerable;
    expect(vulnerable?.hint).toBeTruthy();
    expect(Object.keys(vulnerable?.options ?? {})).toEqual(["yes"]);
  });

  it.each(["email", "sms"] as const)("tells the applicant the travel date by %s", async (channel) => {
    const params = { reference: "K7QM-2XHP-9D", date: "4 décembre 2026" };
    const { subject, body } = await renderMessage("travel.directed", lang, channel, params);
    const text = `${subject}\n${body}`;
    expect(text).not.toMatch(/travel\.directed|\{\{/);
    expect(text).toContain(params.reference);
    expect(text).toContain(params.date);
  });
});
