import { describe, expect, it } from "vitest";
import { eoiStatuses } from "#db/schema";
import { type ActorKind, canTransition, isTerminal } from "~/domain/status/status.rules";

describe("the application state machine", () => {
  it.each([
    ["draft", "submitted", "applicant", true],
    ["draft", "submitted", "staff", false],
    ["draft", "approved", "staff", false],
    ["submitted", "location_verified", "system", true],
    ["submitted", "location_verified", "applicant", false],
    ["location_unverified", "location_verified", "system", true],
    ["under_review", "selected", "staff", true],
    ["under_review", "approved", "staff", false],
    ["selected", "appointment_booked", "helper", true],
    ["appointment_booked", "selected", "staff", true],
    ["appointment_booked", "biometrics_enrolled", "applicant", false],
    ["biometrics_enrolled", "approved", "staff", true],
    ["approved", "matched", "staff", true],
    ["matched", "approved", "staff", true],
    ["matched", "arrived", "staff", true],
    ["submitted", "withdrawn", "applicant", true],
    ["withdrawn", "submitted", "applicant", false],
    ["refused", "approved", "staff", false],
    ["arrived", "withdrawn", "applicant", false],
  ] as const)("%s → %s by %s: %s", (from, to, actor, allowed) => {
    expect(canTransition(from, to, actor as ActorKind)).toBe(allowed);
  });

  it("has no way out of a final decision", () => {
    const terminal = eoiStatuses.filter(isTerminal);
    expect(terminal.sort()).toEqual([
      "arrived",
      "invalid",
      "not_eligible",
      "not_selected",
      "refused",
      "withdrawn",
    ]);
    for (const from of terminal)
      for (const to of eoiStatuses)
        for (const actor of ["applicant", "helper", "system", "staff"] as const)
          expect(canTransition(from, to, actor)).toBe(false);
  });

  it("lets every non-final state be withdrawn by the applicant, except a draft (which is just left)", () => {
    for (const from of eoiStatuses.filter((s) => !isTerminal(s) && s !== "draft")) {
      expect(canTransition(from, "withdrawn", "applicant"), from).toBe(true);
    }
  });
});
