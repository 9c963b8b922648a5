import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { eoiStatuses } from "#db/schema";
import { codesOf, type Field, flatFields } from "~/domain/forms/fields";
import { pauseFields, windowExtraCodes, windowFields } from "~/domain/windows/windows.pages";
import {
  addDays,
  checkWindow,
  overlaps,
  parisDay,
  parisMidnight,
  pauseReasonText,
  statusGroup,
  type WindowRecord,
  windowActions,
  windowAnswers,
  windowInput,
  windowState,
} from "~/domain/windows/windows.rules";
import { pauseSchema, windowSchema } from "~/domain/windows/windows.schema";
import { repoRoot } from "../../support/test-env";

const at = (iso: string) => new Date(iso);

describe("Paris days", () => {
  it.each([
    // Winter (UTC+1), summer (UTC+2), and both days clocks change: midnight is never skipped.
    ["2026-01-15", "2026-01-14T23:00:00.000Z"],
    ["2026-07-01", "2026-06-30T22:00:00.000Z"],
    ["2026-03-29", "2026-03-28T23:00:00.000Z"],
    ["2026-03-30", "2026-03-29T22:00:00.000Z"],
    ["2026-10-25", "2026-10-24T22:00:00.000Z"],
    ["2026-10-26", "2026-10-25T23:00:00.000Z"],
  ])("midnight at the start of %s in Paris is %s", (day, instant) => {
    expect(parisMidnight(day).toISOString()).toBe(instant);
    expect(parisDay(parisMidnight(day))).toBe(day);
    expect(parisDay(new Date(parisMidnight(day).getTime() - 1))).toBe(addDays(day, -1));
  });

  it("adds days across months and years", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
  });
});

const w = (opensAt: string, closesAt: string, pausedAt: string | null = null) => ({
  opensAt: at(opensAt),
  closesAt: at(closesAt),
  pausedAt: pausedAt ? at(pausedAt) : null,
});

describe("window states", () => {
  const march = w("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");
  const paused = w("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "2026-03-10T00:00:00Z");
  it.each([
    [march, "2026-02-28T23:59:59Z", "scheduled"],
    [march, "2026-03-01T00:00:00Z", "open"],
    [march, "2026-03-31T23:59:59Z", "open"],
    [march, "2026-04-01T00:00:00Z", "closed"],
    [paused, "2026-03-15T00:00:00Z", "paused"],
    [paused, "2026-04-02T00:00:00Z", "closed"],
    [
      w("2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z", "2026-04-01T00:00:00Z"),
      "2026-04-15T00:00:00Z",
      "paused",
    ],
  ] as const)("%o at %s is %s", (window, now, state) => {
    expect(windowState(window, at(now))).toBe(state);
  });

  it.each([
    [march, "2026-02-01T00:00:00Z", { edit: true, pause: true, resume: false, close: false }],
    [march, "2026-03-15T00:00:00Z", { edit: true, pause: true, resume: false, close: true }],
    [paused, "2026-03-15T00:00:00Z", { edit: true, pause: false, resume: true, close: true }],
    [march, "2026-04-15T00:00:00Z", { edit: false, pause: false, resume: false, close: false }],
    // Paused before it opened: resuming is possible, closing (ending before it opens) is not.
    [
      w("2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z", "2026-04-01T00:00:00Z"),
      "2026-04-15T00:00:00Z",
      { edit: true, pause: false, resume: true, close: false },
    ],
  ] as const)("%o at %s allows %o", (window, now, actions) => {
    expect(windowActions(window, at(now))).toEqual(actions);
  });

  it("treats windows as half-open: one may open the instant the other closes", () => {
    const a = w("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");
    expect(overlaps(a, w("2026-04-01T00:00:00Z", "2026-05-01T00:00:00Z"))).toBe(false);
    expect(overlaps(a, w("2026-03-31T23:00:00Z", "2026-05-01T00:00:00Z"))).toBe(true);
    expect(overlaps(a, w("2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z"))).toBe(true);
    expect(overlaps(a, w("2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z"))).toBe(false);
  });
});

describe("status groups", () => {
  it("puts every submitted status in exactly one group, and drafts in none", () => {
    expect(statusGroup("draft")).toBeNull();
    for (const status of eoiStatuses.filter((s) => s !== "draft"))
      expect(statusGroup(status), status).not.toBeNull();
  });

  it.each([
    ["submitted", "waiting"],
    ["location_unverified", "waiting"],
    ["under_review", "waiting"],
    ["selected", "selected"],
    ["arrived", "selected"],
    ["not_selected", "closed"],
    ["refused", "closed"],
    ["withdrawn", "closed"],
  ] as const)("%s counts as %s", (status, group) => {
    expect(statusGroup(status)).toBe(group);
  });
});

describe("window form to instants", () => {
  it("opens at Paris midnight on the first day and closes at midnight after the last day", () => {
    const input = windowInput({ name: "March", opensOn: "2026-03-01", lastDay: "2026-03-31", cap: "500" });
    expect(input).toEqual({
      name: "March",
      opensAt: at("2026-02-28T23:00:00Z"),
      closesAt: at("2026-03-31T22:00:00Z"),
      cap: 500,
    });
    expect(windowInput({ name: "x", opensOn: "2026-03-01", lastDay: "2026-03-01" }).cap).toBeNull();
  });

  it("keeps a window's exact instants when its days are left unchanged, and shows them as days", () => {
    const existing = {
      name: "Seeded",
      opensAt: at("2026-03-01T08:30:00Z"),
      closesAt: at("2026-03-20T13:12:00Z"),
      cap: null,
    };
    const answers = windowAnswers(existing);
    expect(answers).toEqual({ name: "Seeded", opensOn: "2026-03-01", lastDay: "2026-03-20" });
    const input = windowInput({ ...answers, name: "Renamed" }, existing);
    expect(input.opensAt).toEqual(existing.opensAt);
    expect(input.closesAt).toEqual(existing.closesAt);
    expect(windowInput({ ...answers, lastDay: "2026-03-25" }, existing).closesAt).toEqual(
      at("2026-03-25T23:00:00Z"),
    );
  });
});

describe("window checks", () => {
  const now = at("2026-03-10T12:00:00Z");
  const record = (id: string, name: string, opensAt: string, closesAt: string): WindowRecord => ({
    id,
    name,
    opensAt: at(opensAt),
    closesAt: at(closesAt),
    pausedAt: null,
  });
  const april = record("april", "April", "2026-03-31T22:00:00Z", "2026-04-30T22:00:00Z");
  const input = (opensOn: string, lastDay: string, cap?: string) =>
    windowInput({ name: "New", opensOn, lastDay, ...(cap ? { cap } : {}) });

  it.each([
    ["a window later this month", input("2026-03-15", "2026-03-31"), {}],
    ["a window opening today", input("2026-03-10", "2026-03-20"), {}],
    ["a window ending the day before April's opens", input("2026-03-20", "2026-03-31"), {}],
    ["a window opening yesterday", input("2026-03-09", "2026-03-20"), { opensOn: "past" }],
    ["a last day before the first", input("2026-03-20", "2026-03-19"), { lastDay: "beforeOpens" }],
    ["a window overlapping April", input("2026-03-20", "2026-04-02"), { opensOn: "overlap" }],
  ] as const)("%s: %o", (_name, candidate, errors) => {
    expect(checkWindow(candidate, { now, others: [april] }).errors).toEqual(errors);
  });

  it("names the window it overlaps", () => {
    expect(checkWindow(input("2026-04-10", "2026-04-12"), { now, others: [april] }).overlapping).toEqual(
      april,
    );
  });

  it("lets a window that has opened change its end and cap, not its opening", () => {
    const march = record("march", "March", "2026-02-28T23:00:00Z", "2026-03-30T22:00:00Z");
    const context = { now, existing: march, others: [march, april], submitted: 12 };
    const same = windowInput(windowAnswers({ ...march, cap: null }), march);
    expect(checkWindow(same, context).errors).toEqual({});
    expect(checkWindow({ ...same, closesAt: at("2026-03-15T23:00:00Z") }, context).errors).toEqual({});
    expect(checkWindow({ ...same, opensAt: at("2026-03-01T23:00:00Z") }, context).errors).toEqual({
      opensOn: "started",
    });
    expect(checkWindow({ ...same, closesAt: at("2026-03-10T11:00:00Z") }, context).errors).toEqual({
      lastDay: "past",
    });
    expect(checkWindow({ ...same, cap: 11 }, context).errors).toEqual({ cap: "belowSubmitted" });
    expect(checkWindow({ ...same, cap: 12 }, context).errors).toEqual({});
    // Its own dates never count as an overlap; April's do.
    expect(checkWindow({ ...same, closesAt: at("2026-04-02T22:00:00Z") }, context).errors).toEqual({
      opensOn: "overlap",
    });
  });
});

describe("window forms", () => {
  const parse = (values: Record<string, string>) => windowSchema().safeParse(values);
  const errorsOf = (values: Record<string, string>) => {
    const result = parse(values);
    return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path[0], i.message]));
  };
  const valid = {
    name: "Window 4",
    "opensOn-day": "1",
    "opensOn-month": "3",
    "opensOn-year": "2026",
    "lastDay-day": "31",
    "lastDay-month": "3",
    "lastDay-year": "2026",
  };

  it("turns the form into answers, the cap without its spaces", () => {
    const result = parse({ ...valid, cap: "1 000" });
    expect(result.success && result.data).toEqual({
      name: "Window 4",
      opensOn: "2026-03-01",
      lastDay: "2026-03-31",
      cap: "1000",
    });
  });

  it.each([
    [{}, { name: "required", opensOn: "required", lastDay: "required" }],
    [{ ...valid, cap: "0" }, { cap: "invalid" }],
    [{ ...valid, cap: "2.5" }, { cap: "invalid" }],
    [{ ...valid, cap: "-3" }, { cap: "invalid" }],
    [{ ...valid, cap: "12345678" }, { cap: "invalid" }],
    [{ ...valid, "lastDay-day": "28", "lastDay-month": "2" }, { lastDay: "beforeOpens" }],
    [{ ...valid, "opensOn-day": "31", "opensOn-month": "2" }, { opensOn: "invalid" }],
  ])("%o gives %o", (values, codes) => {
    const expected = Object.fromEntries(
      Object.entries(codes).map(([field, code]) => [field, `backoffice:fields.${field}.errors.${code}`]),
    );
    expect(errorsOf(values)).toEqual(expected);
  });

  it("asks for the reason for a pause, in words when it is another reason", () => {
    expect(pauseSchema().safeParse({}).success).toBe(false);
    const other = pauseSchema().safeParse({ pauseReason: "other" });
    expect(other.success ? null : other.error.issues[0]?.message).toBe(
      "backoffice:fields.pauseDetails.errors.required",
    );
    const parity = pauseSchema().safeParse({ pauseReason: "parity" });
    expect(parity.success && pauseReasonText(parity.data as { pauseReason: string })).toBe("parity");
    const words = pauseSchema().safeParse({ pauseReason: "other", pauseDetails: " Flights suspended " });
    expect(words.success && pauseReasonText(words.data as { pauseReason: string })).toBe("Flights suspended");
  });
});

describe("window texts", () => {
  const filled = (value: unknown) => typeof value === "string" && value.trim() !== "";
  const forms: [Field[], Record<string, readonly string[]>][] = [
    [windowFields, windowExtraCodes],
    [pauseFields, {}],
  ];

  it.each(["en", "fr", "ar"])("%s has a label and a message for every error each field can give", (lang) => {
    const locale = JSON.parse(readFileSync(join(repoRoot, "locales", lang, "backoffice.json"), "utf8")) as {
      fields: Record<
        string,
        { label?: unknown; errors?: Record<string, unknown>; options?: Record<string, unknown> }
      >;
    };
    const missing: string[] = [];
    for (const [fields, extra] of forms) {
      for (const field of flatFields(fields)) {
        const texts = locale.fields[field.name];
        if (!filled(texts?.label)) missing.push(`${field.name}.label`);
        for (const code of [...codesOf(field), ...(extra[field.name] ?? [])])
          if (!filled(texts?.errors?.[code])) missing.push(`${field.name}.errors.${code}`);
        if (field.kind === "radios")
          for (const option of field.options)
            if (!filled(texts?.options?.[option])) missing.push(`${field.name}.options.${option}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
