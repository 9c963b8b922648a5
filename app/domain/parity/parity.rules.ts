import { addDays, parisDay } from "../windows/windows.rules";

/*
 * The weekly parity report (domain.md Part B §4.3, §6.3): the treaty's joint committee checks
 * completed returns against admissions on weekly data, so weeks run Monday to Sunday, Paris time,
 * as the database's admission_week() counts them for the weekly cap.
 */

/** The Monday (YYYY-MM-DD) of the Paris week holding `at`: the same week as SQL admission_week(at). */
export function parisWeekStart(at: Date): string {
  const day = parisDay(at);
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

/** One week as the database counts it. */
export interface WeekCounts {
  weekStart: string;
  /** Returns completed (transferred to France) in the week. */
  returns: number;
  /** Admissions matched in the week and still matched. */
  admissions: number;
  arrivals: number;
  /** Approved applicants waiting for a place at the week's end. */
  backlog: number;
  /** The week's cap on admissions; null when there was none. */
  cap: number | null;
}

export interface WeekRow extends WeekCounts {
  totalReturns: number;
  totalAdmissions: number;
  /** Completed returns minus admissions since the first week: positive when returns lead. */
  balance: number;
}

/** Adds the cumulative counts and the running balance; weeks in order, the first one holding the first event. */
export function withRunningBalance(weeks: readonly WeekCounts[]): WeekRow[] {
  let totalReturns = 0;
  let totalAdmissions = 0;
  return weeks.map((week) => {
    totalReturns += week.returns;
    totalAdmissions += week.admissions;
    return { ...week, totalReturns, totalAdmissions, balance: totalReturns - totalAdmissions };
  });
}

/** The report's columns, in order: the dashboard's table and the CSV export both use them. */
export const parityColumns = [
  "weekStart",
  "returns",
  "admissions",
  "arrivals",
  "totalReturns",
  "totalAdmissions",
  "balance",
  "backlog",
  "cap",
] as const;
export type ParityColumn = (typeof parityColumns)[number];

/** One CSV record: ISO week start, plain integers, an empty cell for no cap. */
export function parityCsvRow(week: WeekRow): (string | number | null)[] {
  return parityColumns.map((column) => week[column]);
}

// ---------------------------------------------------------------------------------------------
// The chart: two bars per week and a line for the running balance, on one axis of people.

export interface ChartSize {
  width: number;
  height: number;
}

/** Room for the legend above, the tick labels on the start side and the week labels below. */
const MARGIN = { top: 56, right: 16, bottom: 64, left: 56 };
/** A week label needs about this much width, in the chart's units, to stay clear of the next one. */
const LABEL_WIDTH = 72;

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ChartGeometry extends ChartSize {
  plot: { left: number; top: number; right: number; bottom: number };
  /** Where the value 0 is: bars stand on it, and a negative balance goes below it. */
  zeroY: number;
  ticks: { value: number; y: number }[];
  weeks: { centre: number; returns: Bar; admissions: Bar; balanceY: number; labelled: boolean }[];
  /** The balance line as SVG polyline points. */
  balanceLine: string;
}

/** A step of 1, 2 or 5 times a power of ten giving at most `maxTicks` intervals; whole people, so at least 1. */
export function niceStep(range: number, maxTicks = 5): number {
  const raw = Math.max(range, 1) / maxTicks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  return Math.max(1, step);
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Where everything goes, in the SVG's own units (the viewBox): the axis runs from the lowest of 0
 * and the balance to the highest bar or balance, rounded out to whole steps.
 */
export function chartGeometry(
  weeks: readonly { returns: number; admissions: number; balance: number }[],
  size: ChartSize = { width: 720, height: 360 },
): ChartGeometry {
  const plot = {
    left: MARGIN.left,
    top: MARGIN.top,
    right: size.width - MARGIN.right,
    bottom: size.height - MARGIN.bottom,
  };
  const values = weeks.flatMap((w) => [w.returns, w.admissions, w.balance]);
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values);
  const step = niceStep(high - low);
  const min = Math.floor(low / step) * step;
  const max = Math.max(Math.ceil(high / step) * step, min + step);
  const y = (value: number) => round(plot.top + ((max - value) / (max - min)) * (plot.bottom - plot.top));
  const zeroY = y(0);

  const slot = (plot.right - plot.left) / Math.max(weeks.length, 1);
  const barWidth = Math.min(slot * 0.35, 40);
  const labelEvery = Math.ceil(LABEL_WIDTH / slot);
  const bar = (x: number, value: number): Bar => ({
    x: round(x),
    y: y(value),
    width: round(barWidth),
    height: round(zeroY - y(value)),
  });

  const placed = weeks.map((w, i) => {
    const centre = plot.left + slot * (i + 0.5);
    return {
      centre: round(centre),
      returns: bar(centre - barWidth, w.returns),
      admissions: bar(centre, w.admissions),
      balanceY: y(w.balance),
      // Counted from the latest week, so the current week always has its label.
      labelled: (weeks.length - 1 - i) % labelEvery === 0,
    };
  });

  const ticks: { value: number; y: number }[] = [];
  for (let value = min; value <= max; value += step) ticks.push({ value, y: y(value) });

  return {
    ...size,
    plot,
    zeroY,
    ticks,
    weeks: placed,
    balanceLine: placed.map((w) => `${w.centre},${w.balanceY}`).join(" "),
  };
}
