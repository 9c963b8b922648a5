import { Table } from "~/components/govuk/table";
import { chartGeometry, parityColumns, type WeekRow } from "~/domain/parity/parity.rules";
import { useTranslation } from "~/i18n/react";

/** A week of the report with its start date written for people, named on the server. */
export type ParityWeek = WeekRow & {
  /** "16 March 2026" */
  label: string;
  /** "16 Mar", under the chart's bars */
  shortLabel: string;
};

const colours = { returns: "#1d70b8", admissions: "#f47738", ink: "#0b0c0c", grid: "#b1b4b6" };

function useNumbers() {
  const { i18n } = useTranslation("parity");
  return {
    number: new Intl.NumberFormat(i18n.language),
    signed: new Intl.NumberFormat(i18n.language, { signDisplay: "exceptZero" }),
  };
}

/** A legend swatch: the same shapes as the chart's, so the key holds in forced colours too. */
function Swatch({ kind }: { kind: "returns" | "admissions" | "balance" }) {
  return (
    <svg viewBox="0 0 24 16" width="24" height="16" aria-hidden="true">
      {kind === "balance" ? (
        <>
          <line
            x1="0"
            y1="8"
            x2="24"
            y2="8"
            stroke={colours.ink}
            strokeWidth="3"
            className="app-parity-chart__line"
          />
          <circle
            cx="12"
            cy="8"
            r="4"
            fill="#fff"
            stroke={colours.ink}
            strokeWidth="2"
            className="app-parity-chart__point"
          />
        </>
      ) : (
        <rect
          x="4"
          y="0"
          width="16"
          height="16"
          fill={colours[kind]}
          stroke={colours.ink}
          className={`app-parity-chart__${kind}`}
        />
      )}
    </svg>
  );
}

/**
 * Completed returns and admissions per week as bars, and the running balance as a line, drawn on
 * the server as SVG: no JavaScript, scales to the screen's width. Screen readers get a summary
 * (title and desc) and, in ParityTable, every figure. Colours are presentation attributes, so the
 * chart reads without the stylesheet; staff.css swaps in system colours in forced-colours mode.
 */
export function ParityChart({ weeks }: { weeks: readonly ParityWeek[] }) {
  const { t } = useTranslation("parity");
  const { number, signed } = useNumbers();
  const g = chartGeometry(weeks);
  const last = weeks.at(-1);
  return (
    <figure className="app-parity-chart">
      <ul className="app-parity-legend">
        {(["returns", "admissions", "balance"] as const).map((kind) => (
          <li key={kind}>
            <Swatch kind={kind} />
            {t(`chart.legend.${kind}`)}
          </li>
        ))}
      </ul>
      <svg
        viewBox={`0 0 ${g.width} ${g.height}`}
        width="100%"
        role="img"
        aria-labelledby="parity-chart-title parity-chart-desc"
        fontSize="14"
      >
        <title id="parity-chart-title">{t("chart.title")}</title>
        <desc id="parity-chart-desc">
          {t("chart.desc", {
            from: weeks[0]?.label,
            to: last?.label,
            returns: number.format(last?.totalReturns ?? 0),
            admissions: number.format(last?.totalAdmissions ?? 0),
            balance: signed.format(last?.balance ?? 0),
          })}
        </desc>
        <text x="4" y={g.plot.top - 20}>
          {t("chart.yAxis")}
        </text>
        {g.ticks.map((tick) => (
          <g key={tick.value}>
            <line
              x1={g.plot.left}
              x2={g.plot.right}
              y1={tick.y}
              y2={tick.y}
              stroke={colours.grid}
              className="app-parity-chart__grid"
            />
            <text x={g.plot.left - 8} y={tick.y + 5} textAnchor="end">
              {number.format(tick.value)}
            </text>
          </g>
        ))}
        {g.weeks.map((w, i) => (
          <g key={weeks[i]?.weekStart}>
            <rect
              {...w.returns}
              fill={colours.returns}
              stroke={colours.ink}
              className="app-parity-chart__returns"
            />
            <rect
              {...w.admissions}
              fill={colours.admissions}
              stroke={colours.ink}
              className="app-parity-chart__admissions"
            />
            {w.labelled && (
              <text x={w.centre} y={g.plot.bottom + 22} textAnchor="middle">
                {weeks[i]?.shortLabel}
              </text>
            )}
          </g>
        ))}
        <line
          x1={g.plot.left}
          x2={g.plot.right}
          y1={g.zeroY}
          y2={g.zeroY}
          stroke={colours.ink}
          strokeWidth="2"
          className="app-parity-chart__axis"
        />
        <polyline
          points={g.balanceLine}
          fill="none"
          stroke={colours.ink}
          strokeWidth="3"
          className="app-parity-chart__line"
        />
        {g.weeks.map((w, i) => (
          <circle
            key={weeks[i]?.weekStart}
            cx={w.centre}
            cy={w.balanceY}
            r="4"
            fill="#fff"
            stroke={colours.ink}
            strokeWidth="2"
            className="app-parity-chart__point"
          />
        ))}
        <text x={(g.plot.left + g.plot.right) / 2} y={g.height - 8} textAnchor="middle">
          {t("chart.xAxis")}
        </text>
      </svg>
    </figure>
  );
}

/** The chart's figures as a GOV.UK table: what screen readers and keyboard users read. */
export function ParityTable({ weeks }: { weeks: readonly ParityWeek[] }) {
  const { t } = useTranslation("parity");
  const { number, signed } = useNumbers();
  const cell = (week: ParityWeek, column: (typeof parityColumns)[number]) => {
    switch (column) {
      case "weekStart":
        return week.label;
      case "balance":
        return signed.format(week.balance);
      case "cap":
        return week.cap === null ? t("table.noCap") : number.format(week.cap);
      default:
        return number.format(week[column]);
    }
  };
  return (
    <Table
      caption={t("table.caption")}
      captionSize="m"
      firstCellIsHeader
      head={parityColumns.map((column) => ({
        text: t(`columns.${column}`),
        format: column === "weekStart" ? undefined : "numeric",
      }))}
      rows={weeks.map((week) =>
        parityColumns.map((column) => ({
          text: cell(week, column),
          format: column === "weekStart" ? undefined : "numeric",
        })),
      )}
    />
  );
}
