import { describe, expect, it } from "vitest";
import { ParityChart, ParityTable, type ParityWeek } from "~/components/staff/parity-chart";
import { withRunningBalance } from "~/domain/parity/parity.rules";
import { render } from "../../support/i18n";
import { byId, openingTags } from "./html";

const weeks: ParityWeek[] = withRunningBalance([
  { weekStart: "2026-03-16", returns: 3, admissions: 2, arrivals: 0, backlog: 4, cap: null },
  { weekStart: "2026-03-23", returns: 1, admissions: 1200, arrivals: 0, backlog: 1, cap: 1500 },
  { weekStart: "2026-03-30", returns: 1, admissions: 0, arrivals: 1, backlog: 1, cap: null },
]).map((w) => ({ ...w, label: `week of ${w.weekStart}`, shortLabel: w.weekStart.slice(5) }));

/** The text of every cell, row by row (header row first). */
function tableCells(html: string): string[][] {
  const table = html.slice(html.indexOf("<table"), html.indexOf("</table>"));
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? "").matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      (cell[1] ?? "").replace(/<[^>]+>/g, ""),
    ),
  );
}

describe("ParityChart", () => {
  it("is one image named by its title and described by a summary of the figures", () => {
    const html = render(<ParityChart weeks={weeks} />);
    const svg = openingTags(html).find((a) => a.tag === "svg" && a.role === "img");
    expect(svg).toMatchObject({ "aria-labelledby": "parity-chart-title parity-chart-desc", width: "100%" });
    expect(svg?.viewbox).toBe("0 0 720 360");
    expect(byId(html, "parity-chart-title").tag).toBe("title");
    expect(html).toContain(
      '<desc id="parity-chart-desc">Bars for the completed returns and the admissions of each week from the week starting week of 2026-03-16 to the week starting week of 2026-03-30, and a line for the running balance. In total: 5 completed returns, 1,202 admissions, a balance of -1,197.',
    );
  });

  it("draws two bars a week, a balance line through every week, the axes' labels and the legend", () => {
    const html = render(<ParityChart weeks={weeks} />);
    const tags = openingTags(html);
    expect(tags.filter((a) => a.class === "app-parity-chart__returns" && a.tag === "rect")).toHaveLength(4);
    expect(tags.filter((a) => a.class === "app-parity-chart__admissions" && a.tag === "rect")).toHaveLength(
      4,
    );
    expect(tags.find((a) => a.tag === "polyline")?.points?.split(" ")).toHaveLength(3);
    expect(tags.filter((a) => a.tag === "circle" && a.class === "app-parity-chart__point")).toHaveLength(4);
    for (const text of ["People", "Week starting (Monday, Paris time)", ">03-30<", ">1,500<", ">-500<"])
      expect(html).toContain(text);
    expect(html).toContain("Running balance (completed returns minus admissions)</li>");
  });

  it("writes numbers the French way for French-speaking staff", () => {
    const html = render(<ParityChart weeks={weeks} />, "fr");
    expect(html).toContain("Au total : 5 retours effectués, 1\u202f202 admissions, un solde de -1\u202f197.");
  });
});

describe("ParityTable", () => {
  it("gives the chart's figures, a week a row, with headers for rows and columns", () => {
    const html = render(<ParityTable weeks={weeks} />);
    expect(html).toContain(
      '<caption class="govuk-table__caption govuk-table__caption--m">Figures by week (weeks run Monday to Sunday, Paris time)</caption>',
    );
    expect(openingTags(html).filter((a) => a.tag === "th" && a.scope === "col")).toHaveLength(9);
    expect(openingTags(html).filter((a) => a.tag === "th" && a.scope === "row")).toHaveLength(3);
    expect(tableCells(html)).toEqual([
      [
        "Week starting",
        "Completed returns",
        "Admissions",
        "Arrivals",
        "Completed returns to date",
        "Admissions to date",
        "Balance",
        "Applicants waiting at the week’s end",
        "Weekly cap",
      ],
      ["week of 2026-03-16", "3", "2", "0", "3", "2", "+1", "4", "None"],
      ["week of 2026-03-23", "1", "1,200", "0", "4", "1,202", "-1,198", "1", "1,500"],
      ["week of 2026-03-30", "1", "0", "1", "5", "1,202", "-1,197", "1", "None"],
    ]);
  });
});
