import { data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { appointmentFacts, requireInvited } from "~/.server/booking.server";
import { AppointmentSummary } from "~/components/appointments/appointment-summary";
import { Ltr } from "~/components/govuk/ltr";
import { Panel } from "~/components/govuk/panel";
import { WarningText } from "~/components/govuk/warning-text";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["appointments"], titleKey: "appointments:booked.title" };

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const lang = params.lang as string;
  const invited = await requireInvited(request, context, lang);
  const headers = { "Set-Cookie": invited.setCookie };
  if (!invited.appointment) throw redirect(`/${lang}/appointments`, { headers });
  return data(
    { reference: invited.reference ?? "", facts: appointmentFacts(invited.appointment, lang) },
    { headers },
  );
}

/** Confirmation: the panel, the appointment, what to bring, and the calendar file. */
export default function Booked() {
  const { t } = useTranslation("appointments");
  const { lang = "" } = useParams();
  const { reference, facts } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Panel title={t("booked.title")}>
          <span data-testid="booked-when">
            {facts.date}, {facts.time}
          </span>
        </Panel>
        <p className="govuk-body">
          {t("booked.reference")}{" "}
          <strong data-testid="reference">
            <Ltr>{reference}</Ltr>
          </strong>
        </p>
        <AppointmentSummary facts={facts} />
        <h2 className="govuk-heading-m">{t("bring.title")}</h2>
        <WarningText>{t("bring.document")}</WarningText>
        <p className="govuk-body">{t("bring.arrive")}</p>
        <p className="govuk-body">
          <a
            className="govuk-link"
            href={`/${lang}/appointments/calendar.ics`}
            data-testid="calendar-link"
            download
          >
            {t("calendar.link")}
          </a>
        </p>
        <p className="govuk-body">{t("booked.sent")}</p>
        <p className="govuk-body">
          <Link className="govuk-link" to={`/${lang}/appointments`}>
            {t("booked.manage")}
          </Link>
        </p>
        <p className="govuk-body">
          <Link className="govuk-link" to={`/${lang}/status/application`}>
            {t("booked.statusLink")}
          </Link>
        </p>
      </div>
    </div>
  );
}
