import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { requireStatusSession } from "~/.server/applicant.server";
import { readForm } from "~/.server/form.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { Button } from "~/components/govuk/button";
import { Details } from "~/components/govuk/details";
import { Ltr } from "~/components/govuk/ltr";
import { NotificationBanner } from "~/components/govuk/notification-banner";
import { WarningText } from "~/components/govuk/warning-text";
import { StatusTag } from "~/components/status-tag";
import { helpingOrganisation, revokeConsent } from "~/domain/helpers/consent.server";
import { maskContact } from "~/domain/notifications/mask";
import { loadAccount, sendNewPresenceLink } from "~/domain/status/account.service.server";
import { formatDate, formatDay, PARIS } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["status"], titleKey: "status:application.title" };

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { eoiId, setCookie, helper } = await requireStatusSession(request, context, params.lang as string);
  const [account, helping] = await Promise.all([loadAccount(eoiId), helpingOrganisation(eoiId)]);
  if (!account) throw redirect(`/${params.lang}/status`);
  const { contact, appointment, travelDate, ...view } = account;
  const lang = params.lang as string;
  // Formatted here, in Paris time, so the page hydrates as rendered.
  const booked = appointment
    ? {
        centre: appointment.centreName,
        address: appointment.address,
        date: formatDate(appointment.startsAt, lang),
        time: new Intl.DateTimeFormat(lang, { timeStyle: "short", timeZone: PARIS }).format(
          new Date(appointment.startsAt),
        ),
      }
    : null;
  return data(
    {
      ...view,
      appointment: booked,
      travelDate: travelDate ? formatDay(travelDate, lang) : null,
      sentTo: maskContact(contact),
      helpedBy: helping ? { name: helping.name, since: formatDate(helping.since, lang) } : null,
      // A helper sees the applicant's page without the applicant's own controls.
      casePage: helper ? `/${lang}/helpers/cases/${eoiId}` : null,
    },
    { headers: { "Set-Cookie": setCookie } },
  );
}

/**
 * Small actions on this page: ask once for a new presence link; and, for the applicant only,
 * stop the helping organisation's access (at once: helpers are checked per request). Signing out
 * is above every page (routes/lang/layout.tsx).
 */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const { eoiId, actor, helper } = await requireStatusSession(request, context, lang);
  const { values } = await readForm(request);
  if (helper && values.intent === "revoke-helper") throw new Response("Forbidden", { status: 403 });
  if (values.intent === "revoke-helper") {
    return { revoked: (await revokeConsent(eoiId, actor)) !== null };
  }
  if (values.intent === "presence-link") {
    return { linkSent: await sendNewPresenceLink(eoiId, actor) };
  }
  throw new Response("Bad request", { status: 400 });
}

/** Where the application stands: the current state, what it means, what happens next, and the timeline. */
export default function Application() {
  const { t } = useTranslation("status");
  const { lang = "" } = useParams();
  const account = useLoaderData<typeof loader>();
  const done = useActionData<{ linkSent?: boolean; revoked?: boolean }>();
  const state = (s: string, part: string) => t(`states.${s}.${part}`);
  // The invitation's booking period goes with the latest "selected" entry (Part A §8).
  const bookBy = account.bookingDeadline ? formatDate(account.bookingDeadline, lang) : null;
  const lastSelected = account.timeline.map((e) => e.status).lastIndexOf("selected");
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {done?.linkSent && (
          <NotificationBanner type="success">{t("application.linkSent")}</NotificationBanner>
        )}
        {done?.revoked && <NotificationBanner type="success">{t("application.revoked")}</NotificationBanner>}
        {account.casePage && (
          <p className="govuk-body">
            <Link className="govuk-link" to={account.casePage}>
              {t("application.backToCase")}
            </Link>
          </p>
        )}
        <span className="govuk-caption-l">
          {t("application.reference")} <Ltr>{account.reference}</Ltr>
        </span>
        <h1 className="govuk-heading-l">{t("application.title")}</h1>
        <p className="govuk-body">
          <StatusTag status={account.status}>{state(account.status, "title")}</StatusTag>
        </p>
        <p className="govuk-body">{state(account.status, "explanation")}</p>
        <h2 className="govuk-heading-m">{t("application.nextTitle")}</h2>
        <p className="govuk-body">{state(account.status, "next")}</p>
        {account.status === "matched" && account.travelDate && (
          <p className="govuk-body" data-testid="travel-date">
            <strong>{t("application.travelDate", { date: account.travelDate })}</strong>
          </p>
        )}
        {account.status === "selected" && bookBy && (
          <p className="govuk-body" data-testid="book-by">
            <strong>{t("application.bookBy", { date: bookBy })}</strong>
          </p>
        )}
        {account.status === "selected" && (
          <Link
            to={`/${lang}/appointments`}
            role="button"
            draggable="false"
            className="govuk-button"
            data-module="govuk-button"
            data-testid="book-appointment"
          >
            {t("application.bookAppointment")}
          </Link>
        )}
        {account.status === "appointment_booked" && account.appointment && (
          <>
            <h2 className="govuk-heading-m">{t("application.appointmentTitle")}</h2>
            <p className="govuk-body" data-testid="appointment">
              <strong data-testid="appointment-when">
                {t("application.appointmentWhen", {
                  date: account.appointment.date,
                  time: account.appointment.time,
                })}
              </strong>
              <br />
              <span data-testid="appointment-centre">{account.appointment.centre}</span>
              <br />
              <span data-testid="appointment-address">{account.appointment.address}</span>
            </p>
            <Link
              to={`/${lang}/appointments`}
              role="button"
              draggable="false"
              className="govuk-button govuk-button--secondary"
              data-module="govuk-button"
              data-testid="manage-appointment"
            >
              {t("application.manageAppointment")}
            </Link>
          </>
        )}
        {account.canAskNewPresenceLink && (
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="presence-link" />
            <p className="govuk-body">{t("application.presenceLinkExplain")}</p>
            <button type="submit" className="govuk-button govuk-button--secondary">
              {t("application.presenceLink")}
            </button>
          </Form>
        )}
        <h2 className="govuk-heading-m">{t("application.timelineTitle")}</h2>
        <ol className="app-timeline" data-testid="timeline">
          {account.timeline
            .map((entry, i) => ({ entry, i }))
            .reverse()
            .map(({ entry, i }) => (
              <li key={`${entry.status}-${entry.at}`} className="app-timeline__item">
                <h3 className="govuk-heading-s app-timeline__title">{state(entry.status, "title")}</h3>
                <p className="govuk-body-s app-timeline__date">
                  <time dateTime={entry.at}>{formatDate(entry.at, lang)}</time>
                </p>
                <p className="govuk-body">{state(entry.status, "explanation")}</p>
                {i === lastSelected && bookBy && (
                  <p className="govuk-body">{t("application.bookBy", { date: bookBy })}</p>
                )}
              </li>
            ))}
        </ol>
        <h2 className="govuk-heading-m">{t("application.manageTitle")}</h2>
        <p className="govuk-body">
          {t("application.contactOnFile")} <Ltr>{account.sentTo.join(", ")}</Ltr>
        </p>
        {account.helpedBy && (
          <p className="govuk-body" data-testid="helped-by">
            {t("application.helpedBy")} <Ltr>{account.helpedBy.name}</Ltr> (
            {t("application.helpedSince", { date: account.helpedBy.since })})
          </p>
        )}
        <ul className="govuk-list">
          {!account.casePage && (
            <li>
              <Link className="govuk-link" to={`/${lang}/status/contact`}>
                {t("application.changeContact")}
              </Link>
            </li>
          )}
          {account.canWithdraw && (
            <li>
              <Link className="govuk-link" to={`/${lang}/status/withdraw`}>
                {t("application.withdraw")}
              </Link>
            </li>
          )}
        </ul>
        {account.helpedBy && !account.casePage && (
          <Details summary={t("application.revokeSummary")}>
            <WarningText>{t("application.revokeWarning")}</WarningText>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="revoke-helper" />
              <Button variant="warning" preventDoubleClick>
                {t("application.revokeButton")}
              </Button>
            </Form>
          </Details>
        )}
      </div>
    </div>
  );
}
