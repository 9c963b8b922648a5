import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requestTime } from "~/.server/clock.server";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { requirePermission, requireStaff, staffActor } from "~/.server/staff-auth.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { FieldControl } from "~/components/form/question-form";
import { BackLink } from "~/components/govuk/back-link";
import { Button } from "~/components/govuk/button";
import { ErrorSummary } from "~/components/govuk/error-summary";
import { Ltr } from "~/components/govuk/ltr";
import { NotificationBanner } from "~/components/govuk/notification-banner";
import { SummaryList, type SummaryListRow } from "~/components/govuk/summary-list";
import { WarningText } from "~/components/govuk/warning-text";
import { type Field, inputId, toFormValues, type Values } from "~/domain/forms/fields";
import type { UnmatchReason } from "~/domain/matching/matching.rules";
import { travelFields, travelSchema, unmatchFields, unmatchSchema } from "~/domain/matching/matching.schema";
import {
  MatchNotFoundError,
  recordArrival,
  recordTravel,
  UnmatchNotAllowedError,
  unmatch,
} from "~/domain/matching/matching.service.server";
import { loadMatch } from "~/domain/matching/queue.server";
import { can, type Permission } from "~/domain/staff/staff.rules";
import { parisDay } from "~/domain/windows/windows.rules";
import { formatDateTime, formatDay } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

/** Serves /staff/matching/matches/:id: one match, its travel and arrival, and undoing it. */
export const handle = { i18n: ["matching", "case", "staff"], titleKey: "matching:match.title" };

const doneMessages = ["travel", "arrival", "unmatched"] as const;

const notFound = () => new Response("Not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "matching.view");
  const match = await loadMatch(params.id ?? "");
  if (!match) throw notFound();
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  const open = !match.unmatched && !match.arrivedAt;
  const when = (d: Date | null) => (d ? formatDateTime(d, staff.lang) : null);
  return {
    lang: staff.lang,
    done: doneMessages.find((d) => d === done) ?? null,
    refused: url.searchParams.get("refused") === "closed",
    can: {
      travel: open && can(staff.role, "travel.record"),
      arrival: open && can(staff.role, "travel.record"),
      unmatch: open && can(staff.role, "matching.run"),
    },
    match: {
      id: match.id,
      reference: match.reference,
      status: match.status,
      familyReference: match.familyReference,
      family: match.family,
      returnCaseId: match.returnCaseId,
      personRef: match.personRef,
      matched: when(match.matchedAt),
      matchedBy: match.matchedBy,
      ranAhead: match.ranAhead,
      backed: when(match.backedAt),
      travel: match.travelDate ? formatDay(match.travelDate, staff.lang) : null,
      travelValues: toFormValues(
        travelFields,
        match.travelDate ? { travelDate: match.travelDate } : undefined,
      ),
      arrived: when(match.arrivedAt),
      unmatched: match.unmatched && {
        at: when(match.unmatched.at),
        by: match.unmatched.by,
        reason: match.unmatched.reason,
        note: match.unmatched.note,
      },
      laterMatchId: match.laterMatchId,
    },
  };
}

const permissions: Record<string, Permission> = {
  travel: "travel.record",
  arrival: "travel.record",
  unmatch: "matching.run",
};

/** One form per intent: the travel date, the arrival, or undoing the match with a reason. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "matching.view");
  const { values } = await readForm(request);
  const { intent = "", ...fields } = values;
  // Own keys only: an intent such as "__proto__" must not find Object's.
  const permission = Object.hasOwn(permissions, intent) ? permissions[intent] : undefined;
  if (!permission) throw new Response("Bad request", { status: 400 });
  await requirePermission(staff, permission, request, staffActor(staff, context));
  const match = await loadMatch(params.id ?? "");
  if (!match) throw notFound();
  const actor = staffActor(staff, context);
  const back = (query: string) => redirect(`/staff/matching/matches/${match.id}?${query}`, 303);

  try {
    if (intent === "travel") {
      const today = parisDay(requestTime(request));
      const parsed = travelSchema(() => today).safeParse(fields);
      if (!parsed.success) return invalid(fieldErrors(parsed.error), fields);
      await recordTravel(match.id, parsed.data.travelDate as string, actor);
      return back("done=travel");
    }
    if (intent === "arrival") {
      await recordArrival(match.id, actor);
      return back("done=arrival");
    }
    const parsed = unmatchSchema().safeParse(fields);
    if (!parsed.success) return invalid(fieldErrors(parsed.error), fields);
    await unmatch(match.id, parsed.data.unmatchReason as UnmatchReason, actor, {
      note: parsed.data.unmatchNote,
    });
    return back("done=unmatched");
  } catch (error) {
    // Undone, or arrived, since the page was read (by someone else, or a second click).
    if (error instanceof MatchNotFoundError || error instanceof UnmatchNotAllowedError)
      return back("refused=closed");
    throw error;
  }
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function Facts({ match }: { match: Loaded["match"] }) {
  const { t } = useTranslation(["matching", "case", "staff"]);
  const rows: SummaryListRow[] = [
    {
      key: t("match.applicant"),
      value: (
        <>
          <Ltr>{match.reference}</Ltr>
          <br />
          {t(`case:statuses.${match.status}`)}
        </>
      ),
    },
  ];
  if (match.familyReference)
    rows.push({
      key: t("match.family"),
      value: (
        <>
          <Ltr>{match.familyReference}</Ltr>
          {match.family.length > 0 && (
            <>
              <br />
              {t("match.familyMatched")}
              <ul className="govuk-list govuk-!-margin-bottom-0">
                {match.family.map((f) => (
                  <li key={f.matchId}>
                    <Link className="govuk-link" to={`/staff/matching/matches/${f.matchId}`}>
                      <Ltr>{f.reference}</Ltr>
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      ),
    });
  rows.push(
    {
      key: t("match.return"),
      value:
        match.returnCaseId && match.personRef ? (
          <Link className="govuk-link" to={`/staff/returns/${match.returnCaseId}`}>
            <Ltr>{match.personRef}</Ltr>
          </Link>
        ) : (
          t("match.noReturnYet")
        ),
    },
    {
      key: t("match.matched"),
      value: match.matchedBy
        ? t("match.matchedBy", { at: match.matched, name: match.matchedBy })
        : match.matched,
    },
  );
  if (match.ranAhead)
    rows.push({
      key: t("match.ranAhead"),
      value: match.backed ? t("match.backedAt", { at: match.backed }) : t("match.notBacked"),
    });
  rows.push(
    { key: t("match.travel"), value: match.travel ?? t("match.notRecorded") },
    { key: t("match.arrival"), value: match.arrived ?? t("match.notRecorded") },
  );
  if (match.unmatched)
    rows.push(
      {
        key: t("match.unmatched"),
        value: match.unmatched.by
          ? t("match.unmatchedBy", { at: match.unmatched.at, name: match.unmatched.by })
          : match.unmatched.at,
      },
      { key: t("match.reason"), value: t(`fields.unmatchReason.options.${match.unmatched.reason}`) },
      ...(match.unmatched.note ? [{ key: t("match.note"), value: match.unmatched.note }] : []),
    );
  return <SummaryList rows={rows} />;
}

type ActionData = { errors: Record<string, string>; values: Values };

/** One of the page's forms, with its fields and the values and errors of its last post. */
function FieldsOf({
  fields,
  values,
  errors,
  lang,
}: {
  fields: Field[];
  values: Values;
  errors: Record<string, string>;
  lang: string;
}) {
  return (
    <>
      {fields.map((field) => (
        <FieldControl
          key={field.name}
          field={field}
          ns="matching"
          lang={lang}
          values={values}
          errors={errors}
        />
      ))}
    </>
  );
}

export default function MatchPage() {
  const { match, can: allowed, done, refused, lang } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const { t } = useTranslation(["matching", "case", "staff"]);
  const errors = actionData?.errors ?? {};
  const posted = actionData?.values ?? {};
  const summary = [...travelFields, ...unmatchFields]
    .filter((f) => errors[f.name])
    .map((f) => ({ href: `#${inputId(f)}`, text: t(errors[f.name] as string) }));
  const travelPosted = "travelDate-day" in posted;

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to="/staff/matching" />
        {done && <NotificationBanner type="success" heading={t(`match.done.${done}`)} />}
        {refused && <NotificationBanner heading={t("match.refused")} />}
        <ErrorSummary errors={summary} focusKey={actionData} />
        <span className="govuk-caption-l">
          <Ltr>{match.reference}</Ltr>
        </span>
        <h1 className="govuk-heading-l">{t("match.title")}</h1>
        <Facts match={match} />
        {match.laterMatchId && (
          <p className="govuk-body">
            <Link className="govuk-link" to={`/staff/matching/matches/${match.laterMatchId}`}>
              {t("match.laterMatch")}
            </Link>
          </p>
        )}

        {allowed.travel && (
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="travel" />
            <h2 className="govuk-heading-m">{t("match.travelTitle")}</h2>
            <FieldsOf
              fields={travelFields}
              values={travelPosted ? posted : match.travelValues}
              errors={errors}
              lang={lang}
            />
            <Button variant="secondary" preventDoubleClick>
              {t("match.travelSubmit")}
            </Button>
          </Form>
        )}

        {allowed.arrival && (
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="arrival" />
            <h2 className="govuk-heading-m">{t("match.arrivalTitle")}</h2>
            <p className="govuk-body">{t("match.arrivalIntro")}</p>
            <Button variant="secondary" preventDoubleClick>
              {t("match.arrivalSubmit")}
            </Button>
          </Form>
        )}

        {allowed.unmatch && (
          <Form method="post" noValidate>
            <CsrfInput />
            <input type="hidden" name="intent" value="unmatch" />
            <h2 className="govuk-heading-m">{t("match.unmatchTitle")}</h2>
            <p className="govuk-body">{t("match.unmatchIntro")}</p>
            {match.family.length > 0 && <WarningText>{t("match.unmatchFamily")}</WarningText>}
            <FieldsOf
              fields={unmatchFields}
              values={travelPosted ? {} : posted}
              errors={errors}
              lang={lang}
            />
            <Button variant="warning" preventDoubleClick>
              {t("match.unmatchSubmit")}
            </Button>
          </Form>
        )}
      </div>
    </div>
  );
}
