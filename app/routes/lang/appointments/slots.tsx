import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { centreByCode, groupByDay, listCentres, requireInvited } from "~/.server/booking.server";
import { fieldErrors, readForm } from "~/.server/form.server";
import { CsrfInput } from "~/components/form/csrf-input";
import type { FormActionData } from "~/components/form/question-form";
import { BackLink } from "~/components/govuk/back-link";
import { Button } from "~/components/govuk/button";
import { ErrorMessage } from "~/components/govuk/error-message";
import { ErrorSummary } from "~/components/govuk/error-summary";
import { Radios } from "~/components/govuk/radios";
import { availableSlots } from "~/domain/appointments/appointments.service.server";
import { slotSchema } from "~/domain/appointments/booking.schema";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["appointments"], titleKey: "appointments:slots.title" };

/** Why the applicant was sent back to the list (from the confirmation page): shown as the error. */
const returnedErrors = new Set(["full", "slot_unavailable", "outside_booking_period", "same_slot"]);

async function offered({ request, context }: LoaderFunctionArgs, lang: string, code: string | undefined) {
  const invited = await requireInvited(request, context, lang);
  const centre = await centreByCode(code);
  if (!centre) throw redirect(`/${lang}/appointments`, { headers: { "Set-Cookie": invited.setCookie } });
  const list = await availableSlots(invited.eoiId, centre.id);
  return { invited, centre, list };
}

/**
 * The free slots at one centre, inside the applicant's booking period: radio buttons grouped by
 * day, in their language and Paris time. Plain HTML form: works without JavaScript.
 */
export async function loader(args: LoaderFunctionArgs) {
  const { params, request } = args;
  const lang = params.lang as string;
  const { invited, centre, list } = await offered(args, lang, params.centre);
  const returned = new URL(request.url).searchParams.get("error");
  const others = (await listCentres()).filter((c) => c.code !== centre.code);
  return data(
    {
      centre: { code: centre.code, name: centre.name, address: centre.address },
      days: groupByDay(list, lang),
      others: others.map((c) => ({ code: c.code, name: c.name })),
      error: returned && returnedErrors.has(returned) ? `appointments:errors.${returned}` : null,
    },
    { headers: { "Set-Cookie": invited.setCookie } },
  );
}

export async function action(args: ActionFunctionArgs) {
  const { params, request } = args;
  const lang = params.lang as string;
  const { list } = await offered(args, lang, params.centre);
  const { values } = await readForm(request);
  const parsed = slotSchema(list.map((s) => s.id)).safeParse(values);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    // A time chosen on the page but taken since: say so, rather than "choose a time".
    if (values.slot && errors.slot) errors.slot = "appointments:errors.full";
    return data({ errors, values }, { status: 422 });
  }
  const slot = parsed.data.slot as string;
  return redirect(`/${lang}/appointments/confirm?slot=${slot}`);
}

export default function Slots() {
  const { t } = useTranslation(["appointments", "common"]);
  const { lang = "" } = useParams();
  const { centre, days, others, error: returned } = useLoaderData<typeof loader>();
  const actionData = useActionData<FormActionData>();
  const error = actionData?.errors?.slot ? t(actionData.errors.slot) : returned ? t(returned) : undefined;
  const firstId = days[0]?.slots[0]?.inputId ?? "slot";
  const chosen = actionData?.values?.slot;

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/${lang}/appointments`} />
        <ErrorSummary
          errors={error ? [{ href: `#${firstId}`, text: error }] : []}
          focusKey={actionData ?? returned}
        />
        <span className="govuk-caption-l" data-testid="slots-centre">
          {centre.name}
        </span>
        <h1 className="govuk-heading-l">{t("slots.title")}</h1>
        {days.length === 0 ? (
          <div data-testid="no-slots">
            <p className="govuk-body">{t("slots.none")}</p>
            {others.length > 0 && (
              <>
                <p className="govuk-body">{t("slots.tryOther")}</p>
                <ul className="govuk-list">
                  {others.map((c) => (
                    <li key={c.code}>
                      <Link className="govuk-link" to={`/${lang}/appointments/centre/${c.code}`}>
                        {c.name}
                      </Link>
                    </li>
                  ))}
                </ul>
              </>
            )}
            <p className="govuk-body">
              <Link className="govuk-link" to={`/${lang}/status/application`}>
                {t("slots.backToStatus")}
              </Link>
            </p>
          </div>
        ) : (
          <Form method="post" noValidate>
            <CsrfInput />
            <div className={error ? "govuk-form-group govuk-form-group--error" : "govuk-form-group"}>
              <p className="govuk-hint" id="slot-hint">
                {t("slots.hint", { address: centre.address })}
              </p>
              {error && <ErrorMessage id="slot-error">{error}</ErrorMessage>}
              {days.map((day) => (
                <Radios
                  key={day.day}
                  name="slot"
                  id={`day-${day.day}`}
                  legend={day.label}
                  legendSize="m"
                  small
                  formGroupClassName="app-slot-day"
                  defaultValue={chosen}
                  items={day.slots.map((slot) => ({ value: slot.id, id: slot.inputId, label: slot.time }))}
                />
              ))}
            </div>
            <Button preventDoubleClick>{t("common:components.continue")}</Button>
          </Form>
        )}
      </div>
    </div>
  );
}
