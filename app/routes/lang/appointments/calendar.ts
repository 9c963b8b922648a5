import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStatusSession } from "~/.server/applicant.server";
import { fixedT, isLanguage } from "~/.server/i18n.server";
import { calendarFile } from "~/domain/appointments/calendar";
import { activeAppointment } from "~/domain/status/account.service.server";

/**
 * The signed-in applicant's own active appointment as an .ics file, in the page's language.
 * There is no id in the address: the session says whose appointment it is, so nobody can fetch
 * someone else's.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const lang = params.lang as string;
  if (!isLanguage(lang)) throw new Response("Not found", { status: 404 });
  const { eoiId } = await requireStatusSession(request, context, lang);
  const appointment = await activeAppointment(eoiId);
  if (!appointment) throw new Response("Not found", { status: 404 });
  const t = await fixedT(lang, "appointments");
  const body = calendarFile({
    uid: `${appointment.id}@appointments.transfer-scheme`,
    start: new Date(appointment.startsAt),
    end: new Date(appointment.endsAt),
    stamp: new Date(),
    summary: t("calendar.summary"),
    location: `${appointment.centreName}, ${appointment.address}`,
    description: t("calendar.description"),
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'attachment; filename="appointment.ics"',
      "Cache-Control": "private, no-store",
    },
  });
}
