import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { requireStaff, staffActor } from "~/.server/staff-auth.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { QuestionForm } from "~/components/form/question-form";
import { BackLink } from "~/components/govuk/back-link";
import { Button } from "~/components/govuk/button";
import { Input } from "~/components/govuk/input";
import { NotificationBanner } from "~/components/govuk/notification-banner";
import { SummaryList } from "~/components/govuk/summary-list";
import { Table } from "~/components/govuk/table";
import { ScrollRegion } from "~/components/staff/scroll-region";
import { closureFields, closureRule, patternFields, patternRule } from "~/domain/appointments/centre.pages";
import {
  centreToday,
  DEFAULT_GENERATION_WEEKS,
  openingHoursRows,
  type PatternAnswers,
  weekdayName,
} from "~/domain/appointments/centre.rules";
import { closureSchema, generateSchema, patternSchema } from "~/domain/appointments/centre.schema";
import {
  addClosure,
  addPattern,
  type BookingToMove,
  centreByCode,
  centreSetup,
  generateWeeks,
  removeClosure,
  removePattern,
} from "~/domain/appointments/centre.service.server";
import { can } from "~/domain/staff/staff.rules";
import { formatDay } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

/** Serves /staff/centres/:code: the weekly pattern, closures and slot generation. */
export const handle = { i18n: ["centres", "staff"], titleKey: "centres:centre.title" };

const views = ["pattern", "closure"] as const;
const doneMessages = ["pattern_added", "pattern_removed", "closure_added", "closure_removed"] as const;

const notFound = () => new Response("Not found", { status: 404 });

async function centreOf(code: string | undefined) {
  const centre = code ? await centreByCode(code) : null;
  if (!centre) throw notFound();
  return centre;
}

const movesView = (moves: BookingToMove[], lang: string) =>
  moves.map((m) => ({
    appointmentId: m.appointmentId,
    reference: m.reference,
    day: formatDay(m.day, lang),
    time: m.time,
  }));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "centres.view");
  const centre = await centreOf(params.code);
  const url = new URL(request.url);
  const view = views.find((v) => v === url.searchParams.get("view")) ?? "centre";
  const canManage = can(staff.role, "centres.manage");
  const setup = await centreSetup(centre);
  const done = url.searchParams.get("done");
  return {
    view: canManage ? view : "centre",
    canManage,
    canRecord: can(staff.role, "appointments.record"),
    today: setup.today,
    done: doneMessages.find((d) => d === done) ?? null,
    centre: {
      code: centre.code,
      name: centre.name,
      address: centre.address,
      city: centre.city,
      hours: openingHoursRows(centre.openingHours).map((h) => ({
        ...h,
        day: weekdayName(h.weekday, staff.lang),
      })),
    },
    patterns: setup.patterns.map((p) => ({
      id: p.id,
      weekday: weekdayName(p.weekday, staff.lang),
      startTime: p.startTime,
      endTime: p.endTime,
      slotMinutes: p.slotMinutes,
      places: p.places,
      validFrom: formatDay(p.validFrom, staff.lang),
      validTo: p.validTo ? formatDay(p.validTo, staff.lang) : null,
    })),
    closures: setup.closures.map((c) => ({
      id: c.id,
      date: formatDay(c.date, staff.lang),
      reason: c.reason,
      toMove: movesView(c.toMove, staff.lang),
    })),
  };
}

type ActionData = {
  errors?: Record<string, string>;
  values?: Record<string, string | undefined>;
  generated?: {
    from: string;
    to: string;
    created: number;
    updated: number;
    deleted: number;
    withdrawn: number;
    toMove: ReturnType<typeof movesView>;
  };
};

/** One form per intent: add or remove a pattern block or a closure, generate slots. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "centres.manage");
  const centre = await centreOf(params.code);
  const { values } = await readForm(request);
  const actor = staffActor(staff, context);
  const { intent, id, ...fields } = values;
  const self = `/staff/centres/${centre.code}`;

  switch (intent) {
    case "pattern": {
      const parsed = patternSchema().safeParse(fields);
      if (!parsed.success) return invalid(fieldErrors(parsed.error), fields);
      await addPattern(centre.id, parsed.data as unknown as PatternAnswers, actor);
      return redirect(`${self}?done=pattern_added`, 303);
    }
    case "remove-pattern": {
      const removed = await removePattern(centre, id ?? "", actor);
      return redirect(removed ? `${self}?done=pattern_removed` : self, 303);
    }
    case "closure": {
      const today = () => centreToday(new Date(), centre.timezone);
      const parsed = closureSchema(today).safeParse(fields);
      if (!parsed.success) return invalid(fieldErrors(parsed.error), fields);
      const answers = parsed.data as { closedOn: string; closureReason: string };
      const result = await addClosure(centre, answers.closedOn, answers.closureReason, actor);
      if (!result.ok) return invalid({ closedOn: `centres:fields.closedOn.errors.${result.reason}` }, fields);
      return redirect(`${self}?done=closure_added`, 303);
    }
    case "remove-closure": {
      const removed = await removeClosure(centre.id, id ?? "", actor);
      return redirect(removed ? `${self}?done=closure_removed` : self, 303);
    }
    case "generate": {
      const parsed = generateSchema().safeParse(fields);
      if (!parsed.success) return invalid(fieldErrors(parsed.error), fields);
      const result = await generateWeeks(centre, Number((parsed.data as { weeks: string }).weeks), actor);
      return data<ActionData>({
        generated: {
          from: formatDay(result.from, staff.lang),
          to: formatDay(result.to, staff.lang),
          created: result.created,
          updated: result.updated,
          deleted: result.deleted,
          withdrawn: result.withdrawn,
          toMove: movesView(result.toMove, staff.lang),
        },
      });
    }
    default:
      throw new Response("Bad request", { status: 400 });
  }
}

/** A one-button form removing a pattern block or a closed day; the hidden text says which. */
function RemoveButton({
  intent,
  id,
  hidden,
  children,
}: {
  intent: string;
  id: string;
  hidden: string;
  children: string;
}) {
  return (
    <Form method="post">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      <button type="submit" className="app-link-button govuk-link">
        {children}
        <span className="govuk-visually-hidden"> {hidden}</span>
      </button>
    </Form>
  );
}

function MovesTable({ moves }: { moves: ReturnType<typeof movesView> }) {
  const { t } = useTranslation(["centres", "staff"]);
  return (
    <Table
      className="govuk-!-margin-bottom-2"
      head={[{ text: t("centre.moves.reference") }, { text: t("centre.moves.when") }]}
      rows={moves.map((m) => [
        { text: m.reference },
        { text: t("centre.moves.at", { day: m.day, time: m.time }) },
      ])}
    />
  );
}

function Generated({ g }: { g: NonNullable<ActionData["generated"]> }) {
  const { t } = useTranslation(["centres", "staff"]);
  return (
    <NotificationBanner type="success" heading={t("centre.generate.done", { from: g.from, to: g.to })}>
      <ul className="govuk-list" data-testid="generation-result">
        <li>{t("centre.generate.created", { count: g.created })}</li>
        <li>{t("centre.generate.updated", { count: g.updated })}</li>
        <li>{t("centre.generate.deleted", { count: g.deleted })}</li>
        <li>{t("centre.generate.withdrawn", { count: g.withdrawn })}</li>
        <li>{t("centre.generate.kept", { count: g.toMove.length })}</li>
      </ul>
      {g.toMove.length > 0 && (
        <>
          <p className="govuk-body">{t("centre.generate.toMove")}</p>
          <MovesTable moves={g.toMove} />
        </>
      )}
    </NotificationBanner>
  );
}

export default function CentrePage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const { t } = useTranslation(["centres", "staff"]);
  const { centre, view } = loaded;
  const self = `/staff/centres/${centre.code}`;

  if (view === "pattern")
    return (
      <QuestionForm
        page={{ slug: "pattern", fields: patternFields }}
        rule={patternRule}
        ns="centres"
        values={{}}
        back={self}
        hidden={{ intent: "pattern" }}
        submitKey="centres:pages.pattern.submit"
        before={<p className="govuk-body">{t("pages.pattern.lead", { centre: centre.name })}</p>}
      />
    );
  if (view === "closure")
    return (
      <QuestionForm
        page={{ slug: "closure", fields: closureFields }}
        rule={closureRule(() => loaded.today)}
        ns="centres"
        values={{}}
        back={self}
        hidden={{ intent: "closure" }}
        submitKey="centres:pages.closure.submit"
        before={<p className="govuk-body">{t("pages.closure.lead", { centre: centre.name })}</p>}
      />
    );

  const { patterns, closures, canManage, canRecord, done } = loaded;
  const weeksError = actionData?.errors?.weeks;
  return (
    <>
      <BackLink to="/staff/centres" />
      {done && <NotificationBanner type="success" heading={t(`centre.done.${done}`)} />}
      {actionData?.generated && <Generated g={actionData.generated} />}
      <span className="govuk-caption-l">{t("centre.caption")}</span>
      <h1 className="govuk-heading-l">{centre.name}</h1>
      <SummaryList
        rows={[
          { key: t("centre.address"), value: `${centre.address}, ${centre.city}` },
          {
            key: t("centre.hours"),
            value:
              centre.hours.length === 0 ? (
                t("list.closedAllWeek")
              ) : (
                <ul className="govuk-list govuk-!-margin-bottom-0">
                  {centre.hours.map((h) => (
                    <li key={h.weekday}>
                      {t("list.hours", { day: h.day, opens: h.opens, closes: h.closes })}
                    </li>
                  ))}
                </ul>
              ),
          },
        ]}
      />
      {canRecord && (
        <p className="govuk-body">
          <Link className="govuk-link" to={`${self}/day`} id="day-link">
            {t("centre.dayLink")}
          </Link>
        </p>
      )}

      <h2 className="govuk-heading-m">{t("centre.pattern.title")}</h2>
      <p className="govuk-body">{t("centre.pattern.intro")}</p>
      {patterns.length === 0 ? (
        <p className="govuk-body">{t("centre.pattern.none")}</p>
      ) : (
        <ScrollRegion label={t("centre.pattern.title")}>
          <Table
            firstCellIsHeader
            head={[
              ...["weekday", "times", "slotMinutes", "places", "validFrom", "validTo"],
              ...(canManage ? ["actions"] : []),
            ].map((c) => ({ text: t(`centre.pattern.columns.${c}`) }))}
            rows={patterns.map((p) => {
              const range = t("centre.pattern.range", { start: p.startTime, end: p.endTime });
              return [
                { text: p.weekday },
                { text: range },
                { text: t("centre.pattern.minutes", { count: p.slotMinutes }) },
                { text: p.places },
                { text: p.validFrom },
                { text: p.validTo ?? t("centre.pattern.openEnded") },
                ...(canManage
                  ? [
                      {
                        text: (
                          <RemoveButton intent="remove-pattern" id={p.id} hidden={`${p.weekday} ${range}`}>
                            {t("centre.pattern.remove")}
                          </RemoveButton>
                        ),
                      },
                    ]
                  : []),
              ];
            })}
          />
        </ScrollRegion>
      )}
      {canManage && (
        <Button variant="secondary" href={`${self}?view=pattern`} id="add-pattern">
          {t("centre.pattern.add")}
        </Button>
      )}

      <h2 className="govuk-heading-m">{t("centre.closures.title")}</h2>
      {closures.length === 0 ? (
        <p className="govuk-body">{t("centre.closures.none")}</p>
      ) : (
        <ScrollRegion label={t("centre.closures.title")}>
          <Table
            firstCellIsHeader
            head={[...["date", "reason", "toMove"], ...(canManage ? ["actions"] : [])].map((c) => ({
              text: t(`centre.closures.columns.${c}`),
            }))}
            rows={closures.map((c) => [
              { text: c.date },
              { text: c.reason },
              {
                text:
                  c.toMove.length === 0 ? (
                    t("centre.closures.noBookings")
                  ) : (
                    <>
                      <strong className="govuk-tag govuk-tag--orange">
                        {t("centre.closures.bookings", { count: c.toMove.length })}
                      </strong>
                      <ul className="govuk-list govuk-body-s govuk-!-margin-top-2 govuk-!-margin-bottom-0">
                        {c.toMove.map((m) => (
                          <li key={m.appointmentId} data-testid={`move-${m.reference}`}>
                            {t("centre.closures.booking", { reference: m.reference, time: m.time })}
                          </li>
                        ))}
                      </ul>
                    </>
                  ),
              },
              ...(canManage
                ? [
                    {
                      text: (
                        <RemoveButton intent="remove-closure" id={c.id} hidden={c.date}>
                          {t("centre.closures.remove")}
                        </RemoveButton>
                      ),
                    },
                  ]
                : []),
            ])}
          />
        </ScrollRegion>
      )}
      {canManage && (
        <Button variant="secondary" href={`${self}?view=closure`} id="add-closure">
          {t("centre.closures.add")}
        </Button>
      )}

      {canManage && (
        <>
          <h2 className="govuk-heading-m">{t("centre.generate.title")}</h2>
          <p className="govuk-body">{t("centre.generate.intro")}</p>
          <Form method="post" id="generate">
            <CsrfInput />
            <input type="hidden" name="intent" value="generate" />
            <Input
              name="weeks"
              label={t("fields.weeks.label")}
              hint={t("fields.weeks.hint")}
              error={weeksError ? t(weeksError) : undefined}
              inputMode="numeric"
              width={3}
              autoComplete="off"
              defaultValue={actionData?.values?.weeks ?? String(DEFAULT_GENERATION_WEEKS)}
            />
            <Button preventDoubleClick>{t("centre.generate.submit")}</Button>
          </Form>
        </>
      )}
    </>
  );
}
