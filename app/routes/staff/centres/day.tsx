import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requestTime } from "~/.server/clock.server";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { requireStaff, staffActor } from "~/.server/staff-auth.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { QuestionForm } from "~/components/form/question-form";
import { BackLink } from "~/components/govuk/back-link";
import { NotificationBanner } from "~/components/govuk/notification-banner";
import { SummaryList } from "~/components/govuk/summary-list";
import { Tag, type TagColour } from "~/components/govuk/tag";
import { ScrollRegion } from "~/components/staff/scroll-region";
import { addDays, isDay } from "~/domain/appointments/appointments.rules";
import { enrolmentFields } from "~/domain/appointments/centre.pages";
import {
  centreToday,
  checkInRefusal,
  dayOrToday,
  enrolmentRefusal,
  type MismatchReason,
  noShowRefusal,
} from "~/domain/appointments/centre.rules";
import { enrolmentSchema } from "~/domain/appointments/centre.schema";
import {
  centreByCode,
  checkIn,
  dayAppointments,
  recordEnrolment,
  recordNoShow,
} from "~/domain/appointments/centre.service.server";
import { formatDateTime, formatDay } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

/** Serves /staff/centres/:code/day?date=YYYY-MM-DD: the centre officer's day of appointments. */
export const handle = { i18n: ["centres", "staff"], titleKey: "centres:day.title" };

const doneMessages = ["checked_in", "enrolled", "mismatch", "no_show", "no_show_final"] as const;
const refusals = [
  "not_found",
  "not_booked",
  "not_today",
  "not_started",
  "already_recorded",
  "not_awaiting_enrolment",
] as const;

const notFound = () => new Response("Not found", { status: 404 });

async function centreOf(code: string | undefined) {
  const centre = code ? await centreByCode(code) : null;
  if (!centre) throw notFound();
  return centre;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "appointments.record");
  const centre = await centreOf(params.code);
  const url = new URL(request.url);
  const now = requestTime(request);
  const today = centreToday(now, centre.timezone);
  const day = dayOrToday(url.searchParams.get("date"), today);
  const list = await dayAppointments(centre, day, staffActor(staff, context));
  const done = url.searchParams.get("done");
  const refused = url.searchParams.get("refused");
  const recording = list.find((a) => a.id === url.searchParams.get("record"));
  const row = (a: (typeof list)[number]) => ({
    id: a.id,
    reference: a.reference,
    name: a.name,
    time: a.time,
    documentType: a.documentType,
    documentNumber: a.documentNumber,
    documentCountry: a.documentCountry,
    status: a.status,
    checkedIn: a.checkedInAt ? formatDateTime(a.checkedInAt, staff.lang) : null,
    documentMatches: a.documentMatches,
    mismatchReason: a.mismatchReason,
    eoiStatus: a.eoiStatus,
    can: {
      checkIn: checkInRefusal(a, now, centre.timezone) === null,
      enrol: enrolmentRefusal(a, a.eoiStatus, now, centre.timezone) === null,
      noShow: noShowRefusal(a, a.eoiStatus, now) === null,
    },
  });
  return {
    centre: { code: centre.code, name: centre.name },
    day,
    dayText: formatDay(day, staff.lang),
    isToday: day === today,
    previous: addDays(day, -1),
    next: addDays(day, 1),
    done: doneMessages.find((d) => d === done) ?? null,
    refused: refusals.find((r) => r === refused) ?? null,
    recording:
      recording && enrolmentRefusal(recording, recording.eoiStatus, now, centre.timezone) === null
        ? row(recording)
        : null,
    appointments: list.map(row),
  };
}

/** Check in, record the enrolment (document matches or not), or record a no-show. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "appointments.record");
  const centre = await centreOf(params.code);
  const { values } = await readForm(request);
  const actor = staffActor(staff, context);
  const { intent, appointment = "", ...fields } = values;
  const now = requestTime(request);
  const asked = new URL(request.url).searchParams.get("date");
  const day = asked && isDay(asked) ? asked : centreToday(now, centre.timezone);
  const back = (query: string) => redirect(`/staff/centres/${centre.code}/day?date=${day}&${query}`, 303);

  if (intent === "check-in") {
    const result = await checkIn(centre, appointment, actor, now);
    return back(result.ok ? "done=checked_in" : `refused=${result.reason}`);
  }
  if (intent === "enrol") {
    const parsed = enrolmentSchema().safeParse(fields);
    if (!parsed.success) return invalid(fieldErrors(parsed.error), fields);
    const answers = parsed.data as { documentMatches: "yes" | "no"; mismatchReason?: MismatchReason };
    const matches = answers.documentMatches === "yes";
    const result = await recordEnrolment(
      centre,
      appointment,
      matches ? { matches: true } : { matches: false, reason: answers.mismatchReason ?? "other" },
      actor,
      now,
    );
    return back(result.ok ? `done=${matches ? "enrolled" : "mismatch"}` : `refused=${result.reason}`);
  }
  if (intent === "no-show") {
    const result = await recordNoShow(centre, appointment, actor, now);
    return back(
      result.ok ? `done=${result.rebook ? "no_show" : "no_show_final"}` : `refused=${result.reason}`,
    );
  }
  throw new Response("Bad request", { status: 400 });
}

const statusColour: Record<string, TagColour> = {
  booked: "blue",
  attended: "yellow",
  enrolled: "green",
  no_show: "red",
  cancelled: "grey",
};

type Row = ReturnType<typeof useLoaderData<typeof loader>>["appointments"][number];

function RowActions({ a, day, self }: { a: Row; day: string; self: string }) {
  const { t } = useTranslation(["centres", "staff"]);
  const hidden = <span className="govuk-visually-hidden"> {a.reference}</span>;
  const post = (intent: string, label: string) => (
    <Form method="post" action={`${self}?date=${day}`}>
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="appointment" value={a.id} />
      <button type="submit" className="app-link-button govuk-link" data-testid={`${intent}-${a.reference}`}>
        {label}
        {hidden}
      </button>
    </Form>
  );
  const items = [
    a.can.checkIn && <li key="check-in">{post("check-in", t("day.actions.checkIn"))}</li>,
    a.can.enrol && (
      <li key="enrol">
        <Link
          className="govuk-link"
          to={`${self}?date=${day}&record=${a.id}`}
          data-testid={`enrol-${a.reference}`}
        >
          {t("day.actions.enrol")}
          {hidden}
        </Link>
      </li>
    ),
    a.can.noShow && <li key="no-show">{post("no-show", t("day.actions.noShow"))}</li>,
  ].filter(Boolean);
  return items.length ? <ul className="govuk-list govuk-!-margin-bottom-0">{items}</ul> : null;
}

function Document({ a }: { a: Row }) {
  const { t } = useTranslation(["centres", "staff"]);
  if (!a.documentType && !a.documentNumber) return <>{t("day.noDocument")}</>;
  return (
    <>
      {a.documentType ? t(`documentTypes.${a.documentType}`, { defaultValue: a.documentType }) : ""}
      <br />
      <span className="govuk-!-font-weight-bold" dir="ltr" data-testid={`document-${a.reference}`}>
        {a.documentNumber}
      </span>
      {a.documentCountry && <span className="govuk-body-s"> ({a.documentCountry})</span>}
    </>
  );
}

export default function CentreDay() {
  const loaded = useLoaderData<typeof loader>();
  const { t } = useTranslation(["centres", "staff"]);
  const { centre, day, dayText, appointments, done, refused, recording } = loaded;
  const self = `/staff/centres/${centre.code}/day`;

  if (recording)
    return (
      <QuestionForm
        page={{ slug: "enrolment", fields: enrolmentFields }}
        ns="centres"
        values={{}}
        titleKey="centres:pages.enrolment.title"
        back={`${self}?date=${day}`}
        hidden={{ intent: "enrol", appointment: recording.id }}
        submitKey="centres:pages.enrolment.submit"
        before={
          <>
            <SummaryList
              rows={[
                { key: t("day.columns.reference"), value: recording.reference },
                { key: t("day.columns.name"), value: recording.name },
                { key: t("day.columns.time"), value: t("day.at", { day: dayText, time: recording.time }) },
                { key: t("day.columns.document"), value: <Document a={recording} /> },
              ]}
            />
            <p className="govuk-body">{t("pages.enrolment.lead")}</p>
          </>
        }
      />
    );

  return (
    <>
      <BackLink to={`/staff/centres/${centre.code}`} />
      {done && <NotificationBanner type="success" heading={t(`day.done.${done}`)} />}
      {refused && <NotificationBanner heading={t(`day.refused.${refused}`)} />}
      <span className="govuk-caption-l">{centre.name}</span>
      <h1 className="govuk-heading-l">{t("day.heading", { day: dayText })}</h1>
      <nav aria-label={t("day.navigation")} className="govuk-body">
        <Link className="govuk-link" to={`${self}?date=${loaded.previous}`} id="previous-day">
          {t("day.previous")}
        </Link>
        {" · "}
        {!loaded.isToday && (
          <>
            <Link className="govuk-link" to={self} id="today">
              {t("day.today")}
            </Link>
            {" · "}
          </>
        )}
        <Link className="govuk-link" to={`${self}?date=${loaded.next}`} id="next-day">
          {t("day.next")}
        </Link>
      </nav>
      <p className="govuk-body">{t("day.intro")}</p>
      {appointments.length === 0 ? (
        <p className="govuk-body" id="no-appointments">
          {t("day.none")}
        </p>
      ) : (
        <ScrollRegion label={t("day.caption", { day: dayText })}>
          <table className="govuk-table" id="appointments">
            <caption className="govuk-table__caption govuk-table__caption--m">
              {t("day.caption", { day: dayText })}
            </caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                {["time", "reference", "name", "document", "status", "actions"].map((c) => (
                  <th key={c} scope="col" className="govuk-table__header">
                    {t(`day.columns.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {appointments.map((a) => (
                <tr key={a.id} className="govuk-table__row" data-testid={`appointment-${a.reference}`}>
                  <th scope="row" className="govuk-table__header">
                    {a.time}
                  </th>
                  <td className="govuk-table__cell">{a.reference}</td>
                  <td className="govuk-table__cell" data-testid={`name-${a.reference}`}>
                    {a.name}
                  </td>
                  <td className="govuk-table__cell">
                    <Document a={a} />
                  </td>
                  <td className="govuk-table__cell">
                    <Tag colour={statusColour[a.status] ?? "grey"}>
                      <span data-testid={`status-${a.reference}`}>{t(`day.statuses.${a.status}`)}</span>
                    </Tag>
                    {a.checkedIn && (
                      <span className="govuk-body-s govuk-!-display-block govuk-!-margin-top-1">
                        {t("day.checkedIn", { at: a.checkedIn })}
                      </span>
                    )}
                    {a.documentMatches === false && (
                      <span className="govuk-body-s govuk-!-display-block govuk-!-margin-top-1">
                        {t("day.mismatch", {
                          reason: t(`fields.mismatchReason.options.${a.mismatchReason}`, {
                            defaultValue: a.mismatchReason ?? "",
                          }),
                        })}
                      </span>
                    )}
                  </td>
                  <td className="govuk-table__cell">
                    <RowActions a={a} day={day} self={self} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </>
  );
}
