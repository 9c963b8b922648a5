import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useLoaderData, useParams } from "@remix-run/react";
import { appointmentFacts, changesLeft, requireInvited } from "~/.server/booking.server";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { AppointmentSummary } from "~/components/appointments/appointment-summary";
import { QuestionForm } from "~/components/form/question-form";
import { WarningText } from "~/components/govuk/warning-text";
import { cancel } from "~/domain/appointments/appointments.service.server";
import { cancelFields } from "~/domain/appointments/booking.pages";
import { cancelSchema } from "~/domain/appointments/booking.schema";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["appointments"], titleKey: "appointments:cancel.title" };

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const lang = params.lang as string;
  const invited = await requireInvited(request, context, lang);
  const headers = { "Set-Cookie": invited.setCookie };
  if (!invited.appointment) throw redirect(`/${lang}/appointments`, { headers });
  return data(
    {
      facts: appointmentFacts(invited.appointment, lang),
      // Cancelling uses a change; with none left the applicant cannot book again.
      lastChance: (await changesLeft(invited.eoiId)) === 0,
    },
    { headers },
  );
}

/** Cancelling needs the box ticked; the place is given back and the status returns to "selected". */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const invited = await requireInvited(request, context, lang);
  const { values } = await readForm(request);
  const parsed = cancelSchema().safeParse(values);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
  const result = await cancel(invited.eoiId, invited.actor);
  if (!result.ok) return invalid({ confirmCancel: `appointments:errors.${result.reason}` }, values);
  return redirect(`/${lang}/status/application`);
}

export default function Cancel() {
  const { t } = useTranslation("appointments");
  const { lang } = useParams();
  const { facts, lastChance } = useLoaderData<typeof loader>();
  return (
    <QuestionForm
      page={{ slug: "cancel", fields: cancelFields }}
      ns="appointments"
      titleKey="appointments:cancel.title"
      introKey="appointments:cancel.intro"
      values={{}}
      back={`/${lang}/appointments`}
      submitKey="appointments:cancel.submit"
      before={
        <>
          <AppointmentSummary facts={facts} />
          <WarningText>{t(lastChance ? "cancel.lastChance" : "cancel.warning")}</WarningText>
        </>
      }
    />
  );
}
