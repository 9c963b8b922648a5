import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/.server/staff-auth.server";
import { InsetText } from "~/components/govuk/inset-text";
import { NotificationBanner } from "~/components/govuk/notification-banner";
import { SummaryList } from "~/components/govuk/summary-list";
import { ParityChart, ParityTable } from "~/components/staff/parity-chart";
import { ScrollRegion } from "~/components/staff/scroll-region";
import { parityDashboard } from "~/domain/parity/parity.server";
import { can } from "~/domain/staff/staff.rules";
import { formatDay } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["parity", "staff"], titleKey: "parity:title" };

/** Counts only (no personal data): matching officers, admins and auditors. */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "parity.view");
  const view = await parityDashboard();
  // Week labels are written here, on the server, so the page hydrates exactly as rendered.
  const short = new Intl.DateTimeFormat(staff.lang, { day: "numeric", month: "short", timeZone: "UTC" });
  return {
    ...view,
    weeks: view.weeks.map((w) => ({
      ...w,
      label: formatDay(w.weekStart, staff.lang),
      shortLabel: short.format(new Date(`${w.weekStart}T00:00:00Z`)),
    })),
    canManage: can(staff.role, "parity.manage"),
    saved: new URL(request.url).searchParams.get("done") === "saved",
  };
}

export default function ParityDashboard() {
  const d = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation(["parity", "staff"]);
  const number = new Intl.NumberFormat(i18n.language);
  const signed = new Intl.NumberFormat(i18n.language, { signDisplay: "exceptZero" });
  const admitted = number.format(d.admittedThisWeek);
  return (
    <>
      {d.saved && <NotificationBanner type="success" heading={t("saved")} />}
      <h1 className="govuk-heading-l">{t("title")}</h1>
      <p className="govuk-body-l">{t(`policy.${d.policy}`, { tolerance: number.format(d.tolerance) })}</p>
      <InsetText>{t("treaty")}</InsetText>
      <SummaryList
        rows={[
          {
            key: t("summary.returns"),
            value: <span data-testid="parity-returns">{number.format(d.totalReturns)}</span>,
          },
          {
            key: t("summary.admissions"),
            value: <span data-testid="parity-admissions">{number.format(d.totalAdmissions)}</span>,
          },
          {
            key: t("summary.balance"),
            value: <span data-testid="parity-balance">{signed.format(d.balance)}</span>,
          },
          { key: t("summary.freeReturns"), value: number.format(d.freeReturns) },
          { key: t("summary.ahead"), value: number.format(d.ahead) },
          { key: t("summary.waiting"), value: number.format(d.waiting) },
          {
            key: t("summary.thisWeek"),
            value:
              d.weeklyCap === null
                ? t("summary.thisWeekNoCap", { admitted })
                : t("summary.thisWeekCap", { admitted, cap: number.format(d.weeklyCap) }),
          },
        ]}
      />
      <ul className="govuk-list">
        <li>
          <a className="govuk-link" href="/staff/parity/export">
            {t("download")}
          </a>
        </li>
        {d.canManage && (
          <li>
            <Link className="govuk-link" to="/staff/parity/settings">
              {t("settingsLink")}
            </Link>
          </li>
        )}
      </ul>
      <h2 className="govuk-heading-m">{t("chart.heading")}</h2>
      <ParityChart weeks={d.weeks} />
      <ScrollRegion label={t("table.caption")}>
        <ParityTable weeks={d.weeks} />
      </ScrollRegion>
    </>
  );
}
