import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eoiStatuses } from "#db/schema";
import { decisionFields, decisionInput, decisionServiceErrors, noteFields } from "~/domain/cases/cases.pages";
import {
  allowedDecisions,
  BOOKING_DAYS,
  bookingDaysValid,
  bookingDeadline,
  CLAIM_MINUTES,
  canDecide,
  claimExpiry,
  claimState,
  type Decision,
  decidedTogether,
  decisionFrom,
  decisionPath,
  decisions,
  familyBlockers,
  isReasonFor,
  openForFamilyDecision,
  presenceConfirmed,
  reasonCodes,
} from "~/domain/cases/cases.rules";
import { decisionSchema } from "~/domain/cases/cases.schema";
import { codesOf, type Field, flatFields } from "~/domain/forms/fields";
import { canTransition, type EoiStatus } from "~/domain/status/status.rules";
import { repoRoot } from "../../support/test-env";

const present = { presenceConfirmed: true };
const absent = { presenceConfirmed: false };

describe("which decision from which status", () => {
  it.each([
    // status, presence confirmed, decisions offered
    ["draft", true, []],
    ["submitted", false, ["invalid", "not_eligible", "not_selected", "refused"]],
    ["location_unverified", false, ["invalid", "not_eligible", "not_selected", "refused"]],
    ["location_verified", true, ["invalid", "not_eligible", "not_selected", "selected", "refused"]],
    ["under_review", true, ["invalid", "not_eligible", "not_selected", "selected", "refused"]],
    // A review started without presence confirmed cannot end in selection (R-LOC-1).
    ["under_review", false, ["invalid", "not_eligible", "not_selected", "refused"]],
    ["selected", true, ["refused"]],
    ["appointment_booked", true, ["refused"]],
    ["biometrics_enrolled", true, ["approved", "refused"]],
    ["approved", true, ["refused"]],
    ["matched", true, []],
    ["arrived", true, []],
    ["invalid", true, []],
    ["not_eligible", true, []],
    ["not_selected", true, []],
    ["refused", true, []],
    ["withdrawn", true, []],
  ] as const)("%s (presence confirmed: %s) → %j", (status, confirmed, expected) => {
    expect(allowedDecisions(status, { presenceConfirmed: confirmed })).toEqual(expected);
  });

  it("passes through under_review where the state machine needs it, in the history order", () => {
    expect(decisionPath("location_verified", "selected")).toEqual(["under_review", "selected"]);
    expect(decisionPath("submitted", "not_selected")).toEqual(["under_review", "not_selected"]);
    expect(decisionPath("submitted", "not_eligible")).toEqual(["under_review", "not_eligible"]);
    expect(decisionPath("location_verified", "not_eligible")).toEqual(["not_eligible"]);
    expect(decisionPath("submitted", "invalid")).toEqual(["invalid"]);
    expect(decisionPath("under_review", "selected")).toEqual(["selected"]);
    expect(decisionPath("biometrics_enrolled", "approved")).toEqual(["approved"]);
    expect(decisionPath("selected", "approved")).toBeNull();
  });

  it("offers nothing the state machine would refuse: every step of every allowed path is legal for staff", () => {
    for (const status of eoiStatuses)
      for (const decision of decisions) {
        if (!canDecide(status, decision, present)) continue;
        const path = decisionPath(status, decision) as EoiStatus[];
        expect(path.at(-1)).toBe(decision);
        let from: EoiStatus = status;
        for (const step of path) {
          expect(canTransition(from, step, "staff"), `${status}: ${from} → ${step}`).toBe(true);
          from = step;
        }
      }
  });

  it("lists only statuses a decision can be reached from", () => {
    for (const decision of decisions)
      for (const status of decisionFrom[decision])
        expect(decisionPath(status, decision), `${decision} from ${status}`).not.toBeNull();
  });

  it("needs presence in France confirmed to select, and reads it from the history", () => {
    expect(canDecide("location_verified", "selected", absent)).toBe(false);
    expect(canDecide("under_review", "selected", present)).toBe(true);
    expect(presenceConfirmed([{ toStatus: "submitted" }, { toStatus: "under_review" }])).toBe(false);
    expect(presenceConfirmed([{ toStatus: "submitted" }, { toStatus: "location_verified" }])).toBe(true);
  });
});

describe("reason codes", () => {
  it("gives every decision at least one reason, without duplicates", () => {
    for (const decision of decisions) {
      const codes = reasonCodes[decision] as readonly string[];
      expect(codes.length, decision).toBeGreaterThan(0);
      expect(new Set(codes).size, decision).toBe(codes.length);
    }
  });

  it("uses the invalidity codes of the guidance (domain.md Part B §7.2)", () => {
    expect(reasonCodes.invalid).toEqual([
      "outside_window",
      "not_in_france",
      "under_18_no_parent",
      "eea_or_free_movement",
      "missing_id_or_photo",
      "family_window_mismatch",
      "duplicate",
    ]);
  });

  it.each([
    ["invalid", "outside_window", true],
    ["invalid", "lower_priority", false],
    ["not_selected", "no_capacity", true],
    ["selected", "priority_nationality", true],
    ["selected", "duplicate", false],
    ["refused", "biometrics_not_provided", true],
    ["refused", "treaty_returnee", true],
    ["not_eligible", "treaty_returnee", true],
    ["approved", "all_checks_passed", true],
    ["approved", "no_capacity", false],
  ] as const)("%s for reason %s: %s", (decision, reason, ok) => {
    expect(isReasonFor(decision, reason)).toBe(ok);
  });

  it("never ends a code like an i18next plural suffix (the locale parity check would misread it)", () => {
    for (const code of Object.values(reasonCodes).flat())
      expect(code, code).not.toMatch(/_(zero|one|two|few|many|other)$/);
  });
});

describe("the booking period of an invitation (Part A §8)", () => {
  it("is 14 days by default, between 7 and 28", () => {
    expect(BOOKING_DAYS).toEqual({ min: 7, max: 28, default: 14 });
    expect([6, 7, 14, 28, 29, 7.5, Number.NaN].map(bookingDaysValid)).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it.each([
    // now (UTC), days, deadline: the last millisecond of that day in Paris
    ["2027-01-01T10:00:00Z", 14, "2027-01-15T22:59:59.999Z"],
    ["2027-07-01T10:00:00Z", 14, "2027-07-15T21:59:59.999Z"],
    // Across the spring clock change: the deadline is in summer time.
    ["2027-03-20T12:00:00Z", 14, "2027-04-03T21:59:59.999Z"],
    // 23:30 UTC is already the next day in Paris.
    ["2027-01-01T23:30:00Z", 7, "2027-01-09T22:59:59.999Z"],
    ["2027-10-20T08:00:00Z", 28, "2027-11-17T22:59:59.999Z"],
  ])("from %s, %i days: %s", (now, days, expected) => {
    expect(bookingDeadline(new Date(now), days).toISOString()).toBe(expected);
  });

  it("has a booking-days field that accepts exactly the bounds", () => {
    const schema = decisionSchema(["selected"]);
    const post = (bookingDays: string) =>
      schema.safeParse({
        decision: "selected",
        selectedReason: "priority_nationality",
        bookingDays,
        confirmDecision: "yes",
      });
    expect(post("14").success).toBe(true);
    expect(post("7").success).toBe(true);
    expect(post("28").success).toBe(true);
    for (const bad of ["6", "29", "1.5", "abc", "100"]) {
      const result = post(bad);
      expect(result.success, bad).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(["bookingDays"]);
    }
    expect(post("").error?.issues[0]?.message).toBe("case:fields.bookingDays.errors.required");
  });
});

describe("the decision form", () => {
  it("offers only the allowed decisions, each with its own reasons", () => {
    const [decision] = decisionFields(["invalid", "refused"]);
    expect(decision?.kind === "radios" && decision.options).toEqual(["invalid", "refused"]);
    expect(decision?.kind === "radios" && Object.keys(decision.conditional ?? {})).toEqual([
      "invalid",
      "refused",
    ]);
  });

  it("validates the reason of the chosen decision only, and gives the service its input", () => {
    const schema = decisionSchema();
    const wrongReason = schema.safeParse({
      decision: "invalid",
      invalidReason: "no_capacity",
      confirmDecision: "yes",
    });
    expect(wrongReason.error?.issues.map((i) => i.message)).toEqual([
      "case:fields.invalidReason.errors.required",
    ]);
    const unconfirmed = schema.safeParse({ decision: "invalid", invalidReason: "duplicate" });
    expect(unconfirmed.error?.issues.map((i) => i.message)).toEqual([
      "case:fields.confirmDecision.errors.required",
    ]);
    const ok = schema.safeParse({
      decision: "not_selected",
      notSelectedReason: "no_capacity",
      refusedReason: "security_checks",
      confirmDecision: "yes",
    });
    expect(ok.success && decisionInput(ok.data)).toEqual({ decision: "not_selected", reason: "no_capacity" });
    const selected = schema.safeParse({
      decision: "selected",
      selectedReason: "family_in_uk",
      bookingDays: "21",
      confirmDecision: "yes",
    });
    expect(selected.success && decisionInput(selected.data)).toEqual({
      decision: "selected",
      reason: "family_in_uk",
      bookingDays: 21,
    });
  });

  it("refuses a decision the form does not offer", () => {
    const result = decisionSchema(["invalid"]).safeParse({ decision: "selected", confirmDecision: "yes" });
    expect(result.error?.issues[0]?.message).toBe("case:fields.decision.errors.required");
    // Fields of decisions not on the form are unknown fields, refused too (strict schema).
    expect(
      decisionSchema(["invalid"]).safeParse({
        decision: "invalid",
        invalidReason: "duplicate",
        selectedReason: "family_in_uk",
        confirmDecision: "yes",
      }).success,
    ).toBe(false);
  });
});

describe("deciding a family together (Part A §5)", () => {
  it("takes selection decisions together, the others one person at a time", () => {
    expect(decisions.filter(decidedTogether)).toEqual(["not_selected", "selected"]);
  });

  it("applies to members still in stage one only", () => {
    expect(eoiStatuses.filter(openForFamilyDecision)).toEqual([
      "submitted",
      "location_verified",
      "location_unverified",
      "under_review",
    ]);
  });

  it("is blocked by an open member who cannot take the decision, not by decided ones", () => {
    const family = [
      { id: "a", status: "location_verified" as const, presenceConfirmed: true },
      { id: "b", status: "submitted" as const, presenceConfirmed: false },
      { id: "c", status: "invalid" as const, presenceConfirmed: false },
      { id: "d", status: "selected" as const, presenceConfirmed: true },
    ];
    expect(familyBlockers("selected", family).map((m) => m.id)).toEqual(["b"]);
    expect(familyBlockers("not_selected", family)).toEqual([]);
    expect(familyBlockers("invalid", family)).toEqual([]);
  });
});

describe("claims", () => {
  const now = new Date("2027-01-01T10:00:00Z");

  it("last 30 minutes", () => {
    expect(CLAIM_MINUTES).toBe(30);
    expect(claimExpiry(now).toISOString()).toBe("2027-01-01T10:30:00.000Z");
  });

  it.each([
    [null, "none"],
    [{ staffId: "me", expiresAt: new Date("2027-01-01T10:10:00Z") }, "mine"],
    [{ staffId: "other", expiresAt: new Date("2027-01-01T10:10:00Z") }, "other"],
    // Expired: nobody's, whoever held it.
    [{ staffId: "other", expiresAt: new Date("2027-01-01T09:59:00Z") }, "none"],
    [{ staffId: "me", expiresAt: now }, "none"],
  ] as const)("%j is %s", (claim, state) => {
    expect(claimState(claim, "me", now)).toBe(state);
  });
});

describe.each(["en", "fr", "ar"])("locales/%s/case.json", (lang) => {
  const locale = JSON.parse(readFileSync(join(repoRoot, "locales", lang, "case.json"), "utf8")) as {
    statuses: Record<string, string>;
    fields: Record<
      string,
      { label?: string; options?: Record<string, string>; errors?: Record<string, string> }
    >;
  };
  const fields: Field[] = [...flatFields(decisionFields()), ...noteFields];

  it("names every status", () => {
    expect(Object.keys(locale.statuses).sort()).toEqual([...eoiStatuses].sort());
  });

  it("has a label, the options and a message for every error each field can give", () => {
    for (const field of fields) {
      const texts = locale.fields[field.name];
      expect(texts?.label, field.name).toBeTruthy();
      const options = field.kind === "radios" ? field.options : field.kind === "checkbox" ? ["yes"] : [];
      expect(Object.keys(texts?.options ?? {}).sort(), field.name).toEqual([...options].sort());
      for (const code of codesOf(field)) expect(texts?.errors?.[code], `${field.name}.${code}`).toBeTruthy();
    }
    for (const code of decisionServiceErrors)
      expect(locale.fields.decision?.errors?.[code], code).toBeTruthy();
    expect(locale.fields.note?.errors?.claimRequired).toBeTruthy();
  });

  it("states the booking bounds the rules use", () => {
    const hint = (locale.fields.bookingDays as { hint?: string }).hint ?? "";
    expect(hint).toContain(String(BOOKING_DAYS.min));
    expect(hint).toContain(String(BOOKING_DAYS.max));
  });

  it("names each reason exactly once per decision", () => {
    for (const decision of decisions as readonly Decision[]) {
      const field = decisionFields([decision])[0];
      const reason = field?.kind === "radios" ? field.conditional?.[decision]?.[0] : undefined;
      expect(Object.keys(locale.fields[reason?.name ?? ""]?.options ?? {})).toEqual([
        ...reasonCodes[decision],
      ]);
    }
  });
});
