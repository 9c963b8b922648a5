import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { appointmentFacts, changesLeft, listCentres, requireInvited } from "~/.server/booking.server";
import { fieldErrors, readForm } from "~/.server/form.server";
import { AppointmentSummary } from "~/components/appointments/appointment-summary";
import { CsrfInput } from "~/components/form/csrf-input";
import type { FormActionData } from "~/components/form/question-form";
import { BackLink } from "~/components/govuk/back-link";
import { Button } from "~/components/govuk/button";
import { ErrorSummary } from "~/components/govuk/error-summary";
import { Radios } from "~/components/govuk/radios";
import { WarningText } from "~/components/govuk/warning-text";
import { centreSchema } from "~/domain/appointments/booking.schema";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["appointments", "status"], titleKey: "appointments:index.title" };

/**
 * The start of booking. Holding an appointment: its details, with links to change, cancel and
 * download it. Otherwise (or when changing it): which centre, one question on the page.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const lang = params.lang as string;
  const invited = await requireInvited(request, context, lang);
  const headers = { "Set-Cookie": invited.setCookie };
  const changing = new URL(request.url).searchParams.has("change");
  const left = await changesLeft(invited.eoiId);
  if (invited.appointment && !changing) {
    return data(
      {
        mode: "booked" as const,
        reference: invited.reference ?? "",
        facts: appointmentFacts(invited.appointment, lang),
        changesLeft: left,
        centres: [],
        current: null,
      },
      { headers },
    );
  }
  if (invited.appointment && left === 0) throw redirect(`/${lang}/appointments`, { headers });
  const centres = await listCentres();
  return data(
    {
      mode: "choose" as const,
      reference: invited.reference ?? "",
      facts: null,
      changesLeft: left,
      centres: centres.map((c) => ({ code: c.code, name: c.name, address: c.address })),
      current: invited.appointment?.centreCode ?? null,
    },
    { headers },
  );
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  await requireInvited(request, context, lang);
  const { values } = await readForm(request);
  const codes = (await listCentres()).map((c) => c.code);
  const parsed = centreSchema(codes).safeParse(values);
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values }, { status: 422 });
  return redirect(`/${lang}/appointments/centre/${encodeURIComponent(parsed.data.centre as string)}`);
}

export default function Appointments() {
  const view = useLoaderData<typeof loader>();
  return view.mode === "booked" && view.facts ? (
    <Booked facts={view.facts} changesLeft={view.changesLeft} />
  ) : (
    <ChooseCentre centres={view.centres} current={view.current} />
  );
}

function Booked({
  facts,
  changesLeft,
}: {
  facts: NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["facts"]>;
  changesLeft: number;
}) {
  const { t } = useTranslation("appointments");
  const { lang = "" } = useParams();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/${lang}/status/application`} />
        <h1 className="govuk-heading-l">{t("index.bookedTitle")}</h1>
        <AppointmentSummary facts={facts} />
        <WarningText>{t("bring.document")}</WarningText>
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
        <h2 className="govuk-heading-m">{t("index.changeTitle")}</h2>
        {changesLeft > 0 ? (
          <p className="govuk-body">{t("index.changesLeft", { count: changesLeft })}</p>
        ) : (
          <p className="govuk-body">{t("index.noChangesLeft")}</p>
        )}
        <ul className="govuk-list">
          {changesLeft > 0 && (
            <li>
              <Link
                className="govuk-link"
                to={`/${lang}/appointments?change=1`}
                data-testid="reschedule-link"
              >
                {t("index.reschedule")}
              </Link>
            </li>
          )}
          <li>
            <Link className="govuk-link" to={`/${lang}/appointments/cancel`} data-testid="cancel-link">
              {t("index.cancel")}
            </Link>
          </li>
        </ul>
      </div>
    </div>
  );
}

function ChooseCentre({
  centres,
  current,
}: {
  centres: { code: string; name: string; address: string }[];
  current: string | null;
}) {
  const { t } = useTranslation(["appointments", "common"]);
  const { lang = "" } = useParams();
  const actionData = useActionData<FormActionData>();
  const error = actionData?.errors?.centre ? t(actionData.errors.centre) : undefined;
  const firstId = "centre";
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={current ? `/${lang}/appointments` : `/${lang}/status/application`} />
        <ErrorSummary errors={error ? [{ href: `#${firstId}`, text: error }] : []} focusKey={actionData} />
        <Form method="post" noValidate>
          <CsrfInput />
          <Radios
            name="centre"
            id={firstId}
            legend={t("fields.centre.label")}
            isPageHeading
            hint={t("fields.centre.hint")}
            error={error}
            defaultValue={actionData?.values?.centre ?? current ?? undefined}
            items={centres.map((c, i) => ({
              value: c.code,
              id: i === 0 ? firstId : `centre-${c.code}`,
              label: c.name,
              hint: c.address,
            }))}
          />
          <Button preventDoubleClick>{t("common:components.continue")}</Button>
        </Form>
      </div>
    </div>
  );
}
