import type { AppointmentFacts } from "~/.server/booking.server";
import { SummaryList } from "~/components/govuk/summary-list";
import { useTranslation } from "~/i18n/react";

/** Centre, address, day and time of an appointment (not a route: remix.config.js lists them). */
export function AppointmentSummary({ facts }: { facts: AppointmentFacts }) {
  const { t } = useTranslation("appointments");
  return (
    <SummaryList
      rows={[
        { key: t("summary.centre"), value: <span data-testid="appointment-centre">{facts.centre}</span> },
        { key: t("summary.address"), value: <span data-testid="appointment-address">{facts.address}</span> },
        { key: t("summary.date"), value: <span data-testid="appointment-date">{facts.date}</span> },
        { key: t("summary.time"), value: <span data-testid="appointment-time">{facts.time}</span> },
      ]}
    />
  );
}
