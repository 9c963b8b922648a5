import { describe, expect, it } from "vitest";
import { fieldErrors } from "~/.server/form.server";
import { decisionSchema } from "~/domain/cases/cases.schema";
import { findPage } from "~/domain/eoi/eoi.pages";
import { schemaFor } from "~/domain/eoi/eoi.schema";

// Regressions found by tests/fuzz/schemas.test.ts: every message a page schema gives is a key in
// the locales, whatever was posted.

const page = (slug: string) => {
  const found = findPage(slug);
  if (!found) throw new Error(slug);
  return schemaFor(found);
};
const errorsOf = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => (result.error ? fieldErrors(result.error) : {});

describe("raw input no form sends", () => {
  it("past the 5,000-character cap, gets the field's own message, not zod's", () => {
    const result = page("names").safeParse({ givenNames: "A".repeat(5001), familyName: "Haddad" });
    expect(errorsOf(result)).toEqual({ givenNames: "apply:fields.givenNames.errors.tooLong" });
  });

  it("not a string, gets the field's own message", () => {
    expect(errorsOf(page("identity-document").safeParse({ hasDocument: 0 }))).toEqual({
      hasDocument: "apply:fields.hasDocument.errors.required",
    });
    expect(errorsOf(page("date-of-birth").safeParse({ "dateOfBirth-day": ["1"] }))).toEqual({
      "dateOfBirth-day": "apply:fields.dateOfBirth.errors.invalid",
    });
  });
});

describe("NUL, which PostgreSQL text cannot hold (a query with it failed: a 500)", () => {
  it("is dropped from what is typed, and alone is no answer", () => {
    expect(page("names").safeParse({ givenNames: "Am\u0000ina", familyName: "Haddad" }).data).toEqual({
      givenNames: "Amina",
      familyName: "Haddad",
    });
    expect(errorsOf(page("names").safeParse({ givenNames: "\u0000", familyName: "Haddad" }))).toEqual({
      givenNames: "apply:fields.givenNames.errors.required",
    });
  });
});

describe("an optional choice, which has no message to give", () => {
  const approved = { decision: "approved", approvedReason: "all_checks_passed", confirmDecision: "yes" };

  it("reads a value that is none of its options, or not a string, as no answer", () => {
    for (const vulnerable of ["no", "\u0000", "A".repeat(6000), 1]) {
      const result = decisionSchema().safeParse({ ...approved, vulnerable });
      expect(errorsOf(result), String(vulnerable).slice(0, 10)).not.toHaveProperty("vulnerable");
      if (result.success) expect(result.data).not.toHaveProperty("vulnerable");
    }
    expect(decisionSchema().safeParse({ ...approved, vulnerable: "yes" }).data).toMatchObject({
      vulnerable: "yes",
    });
  });
});
