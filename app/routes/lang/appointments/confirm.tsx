import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { appointmentFacts, requireInvited, slotWithCentre } from "~/.server/booking.server";
import { readForm } from "~/.server/form.server";
import { AppointmentSummary } from "~/components/appointments/appointment-summary";
import { CsrfInput } from "~/components/form/csrf-input";
import { BackLink } from "~/components/govuk/back-link";
import { Button } from "~/components/govuk/button";
import { ErrorSummary } from "~/components/govuk/error-summary";
import { WarningText } from "~/components/govuk/warning-text";
import { availableSlots, book, reschedule } from "~/domain/appointments/appointments.service.server";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["appointments"], titleKey: "appointments:confirm.title" };

/** Refusals that mean "choose another time": the applicant goes back to the list, which says why. */
const backToList = new Set(["full", "slot_unavailable", "outside_booking_period", "same_slot"]);

const slotsPage = (lang: string, centreCode: string, reason: string) =>
  `/${lang}/appointments/centre/${encodeURIComponent(centreCode)}?error=${reason}`;

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const lang = params.lang as string;
  const invited = await requireInvited(request, context, lang);
  const headers = { "Set-Cookie": invited.setCookie };
  const slot = await slotWithCentre(new URL(request.url).searchParams.get("slot"));
  if (!slot) throw redirect(`/${lang}/appointments`, { headers });
  // Still free and still offered to them? Otherwise back to the list, with the reason.
  const offered = await availableSlots(invited.eoiId, slot.centreId);
  if (!offered.some((s) => s.id === slot.id))
    throw redirect(slotsPage(lang, slot.centreCode, "full"), { headers });
  return data(
    {
      slotId: slot.id,
      centreCode: slot.centreCode,
      rescheduling: !!invited.appointment,
      facts: appointmentFacts(slot, lang),
    },
    { headers },
  );
}

/** Books the place (or moves the booking there). A place taken meanwhile is an answer, not an error. */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const invited = await requireInvited(request, context, lang);
  const { values } = await readForm(request);
  const slot = await slotWithCentre(values.slot);
  if (!slot) throw redirect(`/${lang}/appointments`);
  const actor = invited.actor;
  const result = invited.appointment
    ? await reschedule(invited.eoiId, slot.id, actor)
    : await book(invited.eoiId, slot.id, actor);
  if (result.ok) return redirect(`/${lang}/appointments/booked`);
  if (backToList.has(result.reason)) return redirect(slotsPage(lang, slot.centreCode, result.reason));
  return data({ refused: result.reason }, { status: 409 });
}

export default function Confirm() {
  const { t } = useTranslation(["appointments", "common"]);
  const { lang = "" } = useParams();
  const { slotId, centreCode, rescheduling, facts } = useLoaderData<typeof loader>();
  const refused = useActionData<{ refused?: string }>()?.refused;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={`/${lang}/appointments/centre/${centreCode}`} />
        <ErrorSummary
          errors={refused ? [{ href: "#confirm-booking", text: t(`errors.${refused}`) }] : []}
          focusKey={refused}
        />
        <h1 className="govuk-heading-l">{t(rescheduling ? "confirm.titleChange" : "confirm.title")}</h1>
        <AppointmentSummary facts={facts} />
        <h2 className="govuk-heading-m">{t("bring.title")}</h2>
        <WarningText>{t("bring.document")}</WarningText>
        <p className="govuk-body">{t("bring.arrive")}</p>
        {rescheduling && <p className="govuk-body">{t("confirm.changeExplain")}</p>}
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="slot" value={slotId} />
          <Button preventDoubleClick id="confirm-booking">
            {t(rescheduling ? "confirm.submitChange" : "confirm.submit")}
          </Button>
        </Form>
      </div>
    </div>
  );
}
