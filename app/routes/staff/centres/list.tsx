import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/.server/staff-auth.server";
import { ScrollRegion } from "~/components/staff/scroll-region";
import { openingHoursRows, weekdayName } from "~/domain/appointments/centre.rules";
import { listCentres } from "~/domain/appointments/centre.service.server";
import { can } from "~/domain/staff/staff.rules";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["centres", "staff"], titleKey: "centres:list.title" };

/** Centres, their opening hours (Paris time) and the next 7 days' places and bookings. */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "centres.view");
  const number = new Intl.NumberFormat(staff.lang);
  const centres = await listCentres();
  return {
    canRecord: can(staff.role, "appointments.record"),
    centres: centres.map((c) => ({
      code: c.code,
      name: c.name,
      address: c.address,
      city: c.city,
      hours: openingHoursRows(c.openingHours).map((h) => ({
        day: weekdayName(h.weekday, staff.lang),
        opens: h.opens,
        closes: h.closes,
      })),
      capacity: number.format(c.capacity),
      booked: number.format(c.booked),
    })),
  };
}

export default function CentreList() {
  const { centres, canRecord } = useLoaderData<typeof loader>();
  const { t } = useTranslation(["centres", "staff"]);
  return (
    <>
      <h1 className="govuk-heading-l">{t("list.title")}</h1>
      <p className="govuk-body">{t("list.intro")}</p>
      {centres.length === 0 ? (
        <p className="govuk-body">{t("list.none")}</p>
      ) : (
        <ScrollRegion label={t("list.caption")}>
          <table className="govuk-table" id="centres">
            <caption className="govuk-table__caption govuk-table__caption--m">{t("list.caption")}</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  {t("list.columns.centre")}
                </th>
                <th scope="col" className="govuk-table__header">
                  {t("list.columns.address")}
                </th>
                <th scope="col" className="govuk-table__header">
                  {t("list.columns.hours")}
                </th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                  {t("list.columns.capacity")}
                </th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                  {t("list.columns.booked")}
                </th>
                {canRecord && (
                  <th scope="col" className="govuk-table__header">
                    {t("list.columns.actions")}
                  </th>
                )}
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {centres.map((c) => (
                <tr key={c.code} className="govuk-table__row" data-testid={`centre-${c.code}`}>
                  <th scope="row" className="govuk-table__header">
                    <Link className="govuk-link" to={`/staff/centres/${c.code}`}>
                      {c.name}
                    </Link>
                  </th>
                  <td className="govuk-table__cell">
                    {c.address}
                    <br />
                    {c.city}
                  </td>
                  <td className="govuk-table__cell">
                    {c.hours.length === 0 ? (
                      t("list.closedAllWeek")
                    ) : (
                      <ul className="govuk-list govuk-body-s govuk-!-margin-bottom-0">
                        {c.hours.map((h) => (
                          <li key={h.day}>{t("list.hours", h)}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{c.capacity}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{c.booked}</td>
                  {canRecord && (
                    <td className="govuk-table__cell">
                      <Link
                        className="govuk-link"
                        to={`/staff/centres/${c.code}/day`}
                        data-testid={`day-${c.code}`}
                      >
                        {t("list.today")}
                        <span className="govuk-visually-hidden"> {c.name}</span>
                      </Link>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <p className="govuk-body-s">{t("list.timeZone")}</p>
    </>
  );
}
