import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { codesOf, flatFields } from "~/domain/forms/fields";
import { MAX_TOLERANCE } from "~/domain/matching/matching.rules";
import {
  chartGeometry,
  niceStep,
  parisWeekStart,
  parityColumns,
  parityCsvRow,
  type WeekCounts,
  withRunningBalance,
} from "~/domain/parity/parity.rules";
import {
  paritySettingsExtraCodes,
  paritySettingsFields,
  paritySettingsSchema,
  settingsToValues,
} from "~/domain/parity/parity.schema";
import { repoRoot } from "../../support/test-env";

describe("Paris weeks", () => {
  it.each([
    // Clocks go forward on Sunday 29 March 2026 (UTC+1 → UTC+2).
    ["2026-03-23T00:00:00+01:00", "2026-03-23"], // Monday midnight, Paris: the week's first instant
    ["2026-03-22T23:59:59+01:00", "2026-03-16"], // the Sunday before, a second earlier
    ["2026-03-29T23:30:00+02:00", "2026-03-23"], // Sunday night after the change (21:30 UTC)
    ["2026-03-29T22:30:00Z", "2026-03-30"], // already Monday 00:30 in Paris, still Sunday in UTC
    // Clocks go back on Sunday 25 October 2026 (UTC+2 → UTC+1).
    ["2026-10-25T02:30:00+02:00", "2026-10-19"], // the hour that happens twice, first time
    ["2026-10-25T02:30:00+01:00", "2026-10-19"], // and second time
    ["2026-10-25T23:00:00Z", "2026-10-26"], // Monday 00:00 in Paris (UTC+1)
    ["2026-10-25T22:59:59Z", "2026-10-19"], // Sunday 23:59:59 in Paris
    // A year boundary: 1 January 2027 is a Friday.
    ["2027-01-01T12:00:00+01:00", "2026-12-28"],
  ])("%s is in the week of %s", (at, week) => {
    expect(parisWeekStart(new Date(at))).toBe(week);
  });
});

const week = (weekStart: string, returns: number, admissions: number, extra: Partial<WeekCounts> = {}) => ({
  weekStart,
  returns,
  admissions,
  arrivals: 0,
  backlog: 0,
  cap: null,
  ...extra,
});

describe("the running balance", () => {
  it("adds up returns and admissions week by week, and goes negative when admissions lead", () => {
    const rows = withRunningBalance([
      week("2026-03-16", 3, 2),
      week("2026-03-23", 0, 0),
      week("2026-03-30", 1, 4),
      week("2026-04-06", 5, 1),
    ]);
    expect(rows.map((r) => [r.totalReturns, r.totalAdmissions, r.balance])).toEqual([
      [3, 2, 1],
      [3, 2, 1],
      [4, 6, -2],
      [9, 7, 2],
    ]);
  });

  it("gives the CSV the table's columns: ISO week, plain numbers, empty for no cap", () => {
    const [row] = withRunningBalance([week("2026-03-30", 1, 4, { arrivals: 2, backlog: 7, cap: 50 })]);
    expect(parityColumns).toHaveLength(9);
    expect(parityCsvRow(row as never)).toEqual(["2026-03-30", 1, 4, 2, 1, 4, -3, 7, 50]);
    const [uncapped] = withRunningBalance([week("2026-03-30", 0, 0)]);
    expect(parityCsvRow(uncapped as never).at(-1)).toBeNull();
  });
});

describe("chart geometry", () => {
  it.each([
    [0, 1],
    [4, 1],
    [5, 1],
    [9, 2],
    [23, 5],
    [50, 10],
    [130, 50],
    [1800, 500],
  ])("a range of %i has steps of %i", (range, step) => {
    expect(niceStep(range)).toBe(step);
  });

  it("scales bars to their values and stands them on zero", () => {
    const g = chartGeometry(withRunningBalance([week("2026-03-16", 10, 5), week("2026-03-23", 5, 10)]));
    const [first, second] = g.weeks;
    expect(first?.returns.height).toBeCloseTo(2 * (first?.admissions.height ?? 0), 0);
    expect(second?.returns.height).toBe(first?.admissions.height);
    expect(second?.admissions.height).toBe(first?.returns.height);
    expect(second?.balanceY).toBe(g.zeroY);
    for (const w of g.weeks)
      for (const bar of [w.returns, w.admissions]) expect(bar.y + bar.height).toBeCloseTo(g.zeroY, 0);
    // The axis ends at the plot's bottom when nothing is negative.
    expect(g.zeroY).toBe(g.plot.bottom);
    expect(g.ticks.map((t) => t.value)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(g.ticks.at(-1)?.y).toBe(g.plot.top);
    // Bars of a week sit side by side inside its slot, inside the plot.
    expect(first?.admissions.x).toBeCloseTo((first?.returns.x ?? 0) + (first?.returns.width ?? 0), 0);
    expect(first?.returns.x).toBeGreaterThan(g.plot.left);
    expect((second?.admissions.x ?? 0) + (second?.admissions.width ?? 0)).toBeLessThan(g.plot.right);
  });

  it("extends the axis below zero for a negative balance, with the line below the zero line", () => {
    const rows = withRunningBalance([week("2026-03-16", 2, 2), week("2026-03-23", 0, 7)]);
    expect(rows.at(-1)?.balance).toBe(-7);
    const g = chartGeometry(rows);
    expect(g.ticks[0]?.value).toBeLessThanOrEqual(-7);
    expect(g.ticks.some((t) => t.value === 0)).toBe(true);
    expect(g.zeroY).toBeLessThan(g.plot.bottom);
    const [first, second] = g.weeks;
    expect(first?.balanceY).toBe(g.zeroY);
    expect(second?.balanceY).toBeGreaterThan(g.zeroY);
    expect(second?.balanceY).toBeLessThanOrEqual(g.plot.bottom);
    // Bars still grow upwards from zero.
    expect((second?.admissions.y ?? 0) + (second?.admissions.height ?? 0)).toBeCloseTo(g.zeroY, 0);
    expect(g.balanceLine).toBe(`${first?.centre},${first?.balanceY} ${second?.centre},${second?.balanceY}`);
  });

  it("draws a week with no events, and labels only as many weeks as fit, the latest always", () => {
    const empty = chartGeometry(withRunningBalance([week("2026-03-16", 0, 0)]));
    expect(empty.ticks.map((t) => t.value)).toEqual([0, 1]);
    expect(empty.weeks[0]).toMatchObject({ labelled: true, returns: { height: 0 } });

    const year = Array.from({ length: 52 }, (_, i) => week(`w${i}`, i % 7, i % 5));
    const g = chartGeometry(withRunningBalance(year));
    const labelled = g.weeks.filter((w) => w.labelled);
    expect(g.weeks.at(-1)?.labelled).toBe(true);
    expect(labelled.length).toBeLessThanOrEqual(10);
    expect((labelled[1]?.centre ?? 0) - (labelled[0]?.centre ?? 0)).toBeGreaterThanOrEqual(72);
  });
});

describe("the settings form", () => {
  const parse = (values: Record<string, string>) => paritySettingsSchema().safeParse(values);
  const errorsOf = (values: Record<string, string>) => {
    const result = parse(values);
    return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [i.path[0], i.message]));
  };

  it("gives the settings: the tolerance only under the tolerance policy, an empty cap as none", () => {
    expect(parse({ parityPolicy: "strict", weeklyCap: "" }).data).toEqual({
      policy: "strict",
      tolerance: 0,
      weeklyCap: null,
    });
    expect(parse({ parityPolicy: "strict", parityTolerance: "5", weeklyCap: "0" }).data).toEqual({
      policy: "strict",
      tolerance: 0,
      weeklyCap: 0,
    });
    expect(parse({ parityPolicy: "tolerance", parityTolerance: " 1 000 ", weeklyCap: "1 200" }).data).toEqual(
      {
        policy: "tolerance",
        tolerance: 1000,
        weeklyCap: 1200,
      },
    );
    expect(parse({ parityPolicy: "reporting-only" }).data).toEqual({
      policy: "reporting-only",
      tolerance: 0,
      weeklyCap: null,
    });
  });

  it.each([
    [{}, { parityPolicy: "parity:fields.parityPolicy.errors.required" }],
    [{ parityPolicy: "lenient" }, { parityPolicy: "parity:fields.parityPolicy.errors.required" }],
    [{ parityPolicy: "tolerance" }, { parityTolerance: "parity:fields.parityTolerance.errors.required" }],
    ...["0", "-1", "2.5", "abc", String(MAX_TOLERANCE + 1)].map((n) => [
      { parityPolicy: "tolerance", parityTolerance: n },
      { parityTolerance: "parity:fields.parityTolerance.errors.invalid" },
    ]),
    ...["-1", "ten", "1.5", "1000000"].map((n) => [
      { parityPolicy: "strict", weeklyCap: n },
      { weeklyCap: "parity:fields.weeklyCap.errors.invalid" },
    ]),
  ] as [Record<string, string>, Record<string, string>][])("%o gives %o", (values, errors) => {
    expect(errorsOf(values)).toEqual(errors);
  });

  it("refuses fields the form does not have", () => {
    expect(parse({ parityPolicy: "strict", admissionsAhead: "0" }).success).toBe(false);
  });

  it("shows the current settings back as the form's values", () => {
    expect(settingsToValues({ policy: "tolerance", tolerance: 12, weeklyCap: 50 })).toEqual({
      parityPolicy: "tolerance",
      parityTolerance: "12",
      weeklyCap: "50",
    });
    expect(settingsToValues({ policy: "strict", tolerance: 0, weeklyCap: null })).toEqual({
      parityPolicy: "strict",
    });
  });

  it.each(["en", "fr", "ar"])("%s has a label and a message for every error each field can give", (lang) => {
    const locale = JSON.parse(readFileSync(join(repoRoot, "locales", lang, "parity.json"), "utf8")) as {
      fields: Record<
        string,
        { label?: string; errors?: Record<string, string>; options?: Record<string, string> }
      >;
    };
    const missing: string[] = [];
    for (const field of flatFields(paritySettingsFields)) {
      const texts = locale.fields[field.name];
      if (!texts?.label) missing.push(`${field.name}.label`);
      for (const code of [...codesOf(field), ...(paritySettingsExtraCodes[field.name] ?? [])])
        if (!texts?.errors?.[code]) missing.push(`${field.name}.errors.${code}`);
      if (field.kind === "radios")
        for (const option of field.options)
          if (!texts?.options?.[option]) missing.push(`${field.name}.options.${option}`);
    }
    expect(missing).toEqual([]);
  });
});
