import { describe, expect, it } from "vitest";
import { eoiStatuses } from "#db/schema";
import { codesOf, flatFields } from "~/domain/forms/fields";
import { consentFields, handOverFields } from "~/domain/helpers/cases.pages";
import {
  allowedIntents,
  byDeadline,
  type CaseFacts,
  isCaseIntent,
  nextStep,
  urgency,
} from "~/domain/helpers/cases.rules";
import { consentSchema, handOverSchema } from "~/domain/helpers/cases.schema";
import type { EoiStatus } from "~/domain/status/status.rules";
import en from "../../../locales/en/caseload.json";

const now = new Date("2026-11-23T10:00:00Z");
const hours = (n: number) => new Date(now.getTime() + n * 3_600_000);
const facts = (status: EoiStatus, more: Partial<CaseFacts> = {}): CaseFacts => ({
  status,
  presenceLinkExpiresAt: null,
  bookingDeadline: null,
  appointmentAt: null,
  ...more,
});

describe("the next step of a case", () => {
  it.each<[string, CaseFacts, string, Date | null]>([
    ["a draft is finished", facts("draft"), "finish", null],
    [
      "a live presence link is the applicant's to use, by its expiry",
      facts("submitted", { presenceLinkExpiresAt: hours(20) }),
      "confirmLocation",
      hours(20),
    ],
    [
      "an expired link waits to be marked",
      facts("submitted", { presenceLinkExpiresAt: hours(-1) }),
      "linkExpired",
      null,
    ],
    ["location not confirmed: a new link", facts("location_unverified"), "newLink", null],
    [
      "the new link, once sent",
      facts("location_unverified", { presenceLinkExpiresAt: hours(5) }),
      "confirmLocation",
      hours(5),
    ],
    ["confirmed: wait", facts("location_verified"), "wait", null],
    ["under review: wait", facts("under_review"), "wait", null],
    ["selected: book by the deadline", facts("selected", { bookingDeadline: hours(72) }), "book", hours(72)],
    ["booked: attend", facts("appointment_booked", { appointmentAt: hours(30) }), "attend", hours(30)],
    ["enrolled: wait for the decision", facts("biometrics_enrolled"), "waitDecision", null],
    ["approved: wait for a place", facts("approved"), "waitPlace", null],
    ["matched: travel", facts("matched"), "travel", null],
    ["refused: nothing more", facts("refused"), "none", null],
    ["withdrawn: nothing more", facts("withdrawn"), "none", null],
  ])("%s", (_, input, key, deadline) => {
    expect(nextStep(input, now)).toEqual({ key, deadline });
  });

  it("has a text for every step a status can lead to, and every status leads somewhere", () => {
    for (const status of eoiStatuses) {
      for (const more of [{}, { presenceLinkExpiresAt: hours(1) }]) {
        const { key } = nextStep(facts(status, more), now);
        expect(en.next[key as keyof typeof en.next], `${status} → ${key}`).toBeTruthy();
      }
    }
  });
});

describe("which deadlines are close", () => {
  it.each([
    [null, null],
    [hours(-0.1), "overdue"],
    [now, "overdue"],
    [hours(1), "urgent"],
    [hours(23.9), "urgent"],
    [hours(24), "soon"],
    [hours(71.9), "soon"],
    [hours(72), null],
    [hours(500), null],
  ])("%s → %s", (deadline, expected) => {
    expect(urgency(deadline, now)).toBe(expected);
  });

  it("orders the soonest deadline first, then cases without one, newest consent first", () => {
    const row = (deadline: Date | null, since: number) => ({
      next: { key: "book" as const, deadline },
      since: hours(-since),
    });
    const a = row(hours(48), 10);
    const b = row(hours(2), 1);
    const c = row(null, 5);
    const d = row(null, 1);
    expect([a, c, b, d].sort(byDeadline)).toEqual([b, a, d, c]);
  });
});

describe("what a helper can open from the case page", () => {
  it.each<[EoiStatus, string[]]>([
    ["draft", ["continue", "hand-over"]],
    ["submitted", ["status", "hand-over"]],
    ["selected", ["status", "appointments", "hand-over"]],
    ["appointment_booked", ["status", "appointments", "hand-over"]],
    ["withdrawn", ["status", "hand-over"]],
  ])("%s → %s", (status, intents) => {
    expect(allowedIntents(status)).toEqual(intents);
  });

  it("knows its intents and nothing else", () => {
    expect(isCaseIntent("continue")).toBe(true);
    expect(isCaseIntent("revoke")).toBe(false);
    expect(isCaseIntent(undefined)).toBe(false);
  });
});

describe("the helpers' case forms", () => {
  it("give the right error for each missing or bad answer", () => {
    const empty = consentSchema().safeParse({});
    expect(empty.success).toBe(false);
    expect(empty.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
      ["applicantName", "caseload:fields.applicantName.errors.required"],
      ["consentMethod", "caseload:fields.consentMethod.errors.required"],
      ["consentConfirmed", "caseload:fields.consentConfirmed.errors.required"],
    ]);
    const unknownMethod = consentSchema().safeParse({
      applicantName: "Amina Haddad",
      consentMethod: "by_pigeon",
      consentConfirmed: "yes",
    });
    expect(unknownMethod.error?.issues[0]?.path[0]).toBe("consentMethod");
    expect(
      consentSchema().safeParse({
        applicantName: "x".repeat(121),
        consentMethod: "written",
        consentConfirmed: "yes",
      }).error?.issues[0]?.message,
    ).toBe("caseload:fields.applicantName.errors.tooLong");
    expect(
      consentSchema().safeParse({
        applicantName: " Amina ",
        consentMethod: "in_person",
        consentConfirmed: "yes",
      }).data,
    ).toEqual({ applicantName: "Amina", consentMethod: "in_person", consentConfirmed: "yes" });
  });

  it("accept only a colleague offered", () => {
    const ids = ["00000000-0000-4000-8000-000000000001"];
    expect(handOverSchema(ids).safeParse({ colleague: ids[0] }).success).toBe(true);
    expect(
      handOverSchema(ids).safeParse({ colleague: "00000000-0000-4000-8000-000000000002" }).error?.issues[0]
        ?.message,
    ).toBe("caseload:fields.colleague.errors.required");
  });

  it("have a text for every error they can give, in English (the parity test covers the others)", () => {
    const fieldsText = en.fields as Record<string, { errors: Record<string, string> }>;
    for (const field of flatFields([...consentFields, ...handOverFields([])])) {
      for (const code of codesOf(field))
        expect(fieldsText[field.name]?.errors[code], `${field.name}.${code}`).toBeTruthy();
    }
  });
});
