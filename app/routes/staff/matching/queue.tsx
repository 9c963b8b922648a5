import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { logger } from "~/.server/logger.server";
import { requireStaff, staffActor } from "~/.server/staff-auth.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { FieldControl } from "~/components/form/question-form";
import { Button } from "~/components/govuk/button";
import { ErrorMessage } from "~/components/govuk/error-message";
import { ErrorSummary } from "~/components/govuk/error-summary";
import { Ltr } from "~/components/govuk/ltr";
import { NotificationBanner } from "~/components/govuk/notification-banner";
import { SummaryList } from "~/components/govuk/summary-list";
import { Tag } from "~/components/govuk/tag";
import { ScrollRegion } from "~/components/staff/scroll-region";
import { isUuid } from "~/domain/cases/cases.rules";
import { announceMatches } from "~/domain/matching/announce.server";
import { matchNextFields, matchNextSchema, runSummarySchema } from "~/domain/matching/matching.schema";
import {
  matchCase,
  matchingCapacity,
  matchNext,
  NotEnoughPlacesError,
  NotMatchableError,
} from "~/domain/matching/matching.service.server";
import {
  explainRun,
  latestMatches,
  matchingQueue,
  runMatches,
  runSummaryQuery,
  unitReference,
} from "~/domain/matching/queue.server";
import { can } from "~/domain/staff/staff.rules";
import { formatDateTime, formatDay } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

/** Serves /staff/matching: places, the queue of approved applicants, and the latest matches. */
export const handle = { i18n: ["matching", "staff"], titleKey: "matching:queue.title" };

/** Matching officers match; admins see the same page without the buttons (and are refused them). */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "matching.view");
  const url = new URL(request.url);
  const [capacity, queue, latest] = await Promise.all([
    matchingCapacity(),
    matchingQueue(url.searchParams.get("after")),
    latestMatches(),
  ]);
  const summary = runSummarySchema.safeParse(Object.fromEntries(url.searchParams));
  const matchedInRun = summary.success && summary.data.runId ? await runMatches(summary.data.runId) : [];
  // Numbers and dates are written here, by the server's ICU, so the page hydrates as rendered.
  const number = (n: number) => new Intl.NumberFormat(staff.lang).format(n);
  return {
    lang: staff.lang,
    canRun: can(staff.role, "matching.run"),
    summary: summary.success ? { ...summary.data, matchedInRun } : null,
    capacity: {
      policy: capacity.policy,
      tolerance: number(capacity.tolerance),
      ahead: number(capacity.ahead),
      freeReturns: number(capacity.freeReturns),
      weeklyCap: capacity.weeklyCap === null ? null : number(capacity.weeklyCap),
      admittedThisWeek: number(capacity.admittedThisWeek),
      // Infinity (no limit at all) does not survive JSON.
      places: Number.isFinite(capacity.places) ? number(capacity.places) : null,
      limitedBy: capacity.limitedBy,
    },
    waitingPeople: number(queue.waitingPeople),
    units: queue.units.map((u) => ({
      unitId: u.unitId,
      matchWith: u.members[0]?.id ?? "",
      label: u.familyReference ?? u.members[0]?.reference ?? "",
      familyReference: u.familyReference,
      references: u.members.map((m) => m.reference),
      size: number(u.size),
      band: u.band,
      submitted: formatDateTime(u.submittedAt, staff.lang),
      waitingForFamily: u.waitingForFamily > 0 ? number(u.waitingForFamily) : null,
    })),
    nextPage: queue.nextCursor,
    firstPage: !url.searchParams.get("after"),
    matches: latest.map((m) => ({
      id: m.id,
      reference: m.reference,
      personRef: m.personRef,
      matched: formatDateTime(m.matchedAt, staff.lang),
      travel: m.travelDate ? formatDay(m.travelDate, staff.lang) : null,
      arrived: m.arrivedAt ? formatDateTime(m.arrivedAt, staff.lang) : null,
    })),
  };
}

/** What "Match the next N" offers: about a day's work at the pilot's 50 a week. */
const DEFAULT_COUNT = "10";

type ActionData = {
  errors: Record<string, string>;
  values: Record<string, string | undefined>;
  /** The case whose "Match" was refused, and the numbers of the message. */
  unit?: string;
  params?: Record<string, string | number>;
};

/** The applicants hear of their place now, not at the job's next pass (which also retries this). */
async function announce(): Promise<void> {
  try {
    await announceMatches();
  } catch (error) {
    logger.error({ err: error }, "announcing matches after a run failed; the job will retry");
  }
}

/** "Match the next N", or one case with its family; the result goes to the page after a redirect. */
export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "matching.run");
  const { values } = await readForm(request);
  const { intent, ...fields } = values;
  const actor = staffActor(staff, context);

  if (intent === "match-next") {
    const parsed = matchNextSchema().safeParse(fields);
    if (!parsed.success) return invalid(fieldErrors(parsed.error), fields);
    const result = await matchNext(Number(parsed.data.count), actor);
    await announce();
    const query = runSummaryQuery(result, { kind: "run", shortfall: await explainRun(result) });
    return redirect(`/staff/matching?${query}`, 303);
  }

  if (intent === "match-unit") {
    const eoi = fields.eoi ?? "";
    if (!isUuid(eoi)) throw new Response("Bad request", { status: 400 });
    try {
      const result = await matchCase(eoi, actor);
      await announce();
      const query = runSummaryQuery(result, { kind: "unit", reference: await unitReference(eoi) });
      return redirect(`/staff/matching?${query}`, 303);
    } catch (error) {
      const refused = (key: string, params?: ActionData["params"]) =>
        data<ActionData>({ errors: { unit: key }, values: {}, unit: eoi, params }, { status: 422 });
      if (error instanceof NotEnoughPlacesError)
        return refused(`matching:errors.notEnoughPlaces.${error.needed > 1 ? "family" : "one"}`, {
          needed: error.needed,
          places: error.places,
          limit: error.limitedBy ?? "returns",
        });
      if (error instanceof NotMatchableError) return refused("matching:errors.notMatchable");
      throw error;
    }
  }

  throw new Response("Bad request", { status: 400 });
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

function RunResult({ summary }: { summary: NonNullable<Loaded["summary"]> }) {
  const { t } = useTranslation(["matching", "staff"]);
  const heading =
    summary.kind === "unit" && summary.reference ? (
      <>
        {t("result.unitHeading")} <Ltr>{summary.reference}</Ltr>
      </>
    ) : (
      t("result.heading")
    );
  return (
    <div data-testid="match-result">
      <NotificationBanner type="success" heading={heading}>
        <ul className="govuk-list">
          <li>{t("result.matched", { count: summary.matched })}</li>
          <li>{t("result.families", { count: summary.families })}</li>
          {summary.ahead > 0 && <li>{t("result.ahead", { count: summary.ahead })}</li>}
          {summary.requested !== null && <li>{t("result.requested", { count: summary.requested })}</li>}
        </ul>
        {summary.shortfall && (
          <p className="govuk-body">
            {t(`result.shortfall.${summary.shortfall}`, { needed: summary.needed, left: summary.left })}
          </p>
        )}
        {summary.matchedInRun.length > 0 && (
          <>
            <p className="govuk-body">{t("result.whom")}</p>
            <ul className="govuk-list">
              {summary.matchedInRun.map((m) => (
                <li key={m.id}>
                  <Link className="govuk-link" to={`/staff/matching/matches/${m.id}`} data-testid="run-match">
                    <Ltr>{m.reference}</Ltr>
                  </Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </NotificationBanner>
    </div>
  );
}

function Capacity({ capacity }: { capacity: Loaded["capacity"] }) {
  const { t } = useTranslation(["matching", "staff"]);
  return (
    <SummaryList
      rows={[
        {
          key: t("capacity.policy"),
          value: t(`capacity.policies.${capacity.policy}`, { tolerance: capacity.tolerance }),
        },
        { key: t("capacity.freeReturns"), value: capacity.freeReturns },
        { key: t("capacity.ahead"), value: capacity.ahead },
        {
          key: t("capacity.week"),
          value:
            capacity.weeklyCap === null
              ? t("capacity.weekNoCap", { admitted: capacity.admittedThisWeek })
              : t("capacity.weekCap", { admitted: capacity.admittedThisWeek, cap: capacity.weeklyCap }),
        },
        {
          key: t("capacity.places"),
          value: (
            <>
              <strong data-testid="places">{capacity.places ?? t("capacity.unlimited")}</strong>
              <br />
              {t(`capacity.limitedBy.${capacity.limitedBy ?? "none"}`)}
            </>
          ),
        },
      ]}
    />
  );
}

export default function MatchingQueue() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const { t } = useTranslation(["matching", "staff"]);
  const errors = actionData?.errors ?? {};
  const [countField] = matchNextFields;
  const unitError = actionData?.unit && errors.unit ? t(errors.unit, actionParams(actionData, t)) : null;
  const summary = [
    ...(errors.count ? [{ href: "#count", text: t(errors.count) }] : []),
    ...(unitError ? [{ href: `#match-${actionData?.unit}`, text: unitError }] : []),
  ];

  return (
    <>
      {loaded.summary && <RunResult summary={loaded.summary} />}
      <ErrorSummary errors={summary} focusKey={actionData} />
      <h1 className="govuk-heading-l">{t("queue.title")}</h1>
      <p className="govuk-body">{t("queue.intro")}</p>

      <h2 className="govuk-heading-m">{t("capacity.title")}</h2>
      <Capacity capacity={loaded.capacity} />

      {loaded.canRun ? (
        <Form method="post" noValidate>
          <CsrfInput />
          <input type="hidden" name="intent" value="match-next" />
          {countField && (
            <FieldControl
              field={countField}
              ns="matching"
              lang={loaded.lang}
              values={{ count: actionData?.values.count ?? DEFAULT_COUNT }}
              errors={errors}
            />
          )}
          <Button preventDoubleClick>{t("queue.runSubmit")}</Button>
        </Form>
      ) : (
        <p className="govuk-body">{t("queue.readOnly")}</p>
      )}

      <h2 className="govuk-heading-m">{t("queue.waitingTitle")}</h2>
      <p className="govuk-body">{t("queue.waiting", { count: loaded.waitingPeople })}</p>
      {loaded.units.length === 0 ? (
        <p className="govuk-body">{t("queue.empty")}</p>
      ) : (
        <ScrollRegion label={t("queue.caption")}>
          <table className="govuk-table" id="queue">
            <caption className="govuk-table__caption govuk-table__caption--s">{t("queue.caption")}</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                {["applicants", "people", "priority", "submitted", "action"].map((c) => (
                  <th key={c} scope="col" className="govuk-table__header">
                    {t(`queue.columns.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {loaded.units.map((u) => (
                <tr key={u.unitId} className="govuk-table__row" data-testid="queue-unit">
                  <th scope="row" className="govuk-table__header">
                    {u.familyReference && (
                      <span className="govuk-!-display-block">
                        {t("queue.family")} <Ltr>{u.familyReference}</Ltr>
                      </span>
                    )}
                    <ul className="govuk-list govuk-!-margin-bottom-0 govuk-!-font-weight-regular">
                      {u.references.map((r) => (
                        <li key={r}>
                          <Ltr>{r}</Ltr>
                        </li>
                      ))}
                    </ul>
                  </th>
                  <td className="govuk-table__cell">{u.size}</td>
                  <td className="govuk-table__cell">{t(`bands.${u.band}`)}</td>
                  <td className="govuk-table__cell">{u.submitted}</td>
                  <td className="govuk-table__cell">
                    {u.waitingForFamily ? (
                      <>
                        <Tag colour="yellow">{t("queue.waitingForFamily")}</Tag>
                        <span className="govuk-body-s govuk-!-display-block govuk-!-margin-top-1">
                          {t("queue.membersInProgress", { count: u.waitingForFamily })}
                        </span>
                      </>
                    ) : (
                      loaded.canRun && (
                        <Form method="post">
                          <CsrfInput />
                          <input type="hidden" name="intent" value="match-unit" />
                          <input type="hidden" name="eoi" value={u.matchWith} />
                          {actionData?.unit === u.matchWith && unitError && (
                            <ErrorMessage id={`match-${u.matchWith}-error`}>{unitError}</ErrorMessage>
                          )}
                          <Button
                            variant="secondary"
                            className="govuk-!-margin-bottom-0"
                            id={`match-${u.matchWith}`}
                            aria-describedby={
                              actionData?.unit === u.matchWith && unitError
                                ? `match-${u.matchWith}-error`
                                : undefined
                            }
                            preventDoubleClick
                          >
                            {t("queue.matchUnit")}
                            <span className="govuk-visually-hidden">
                              {" "}
                              <Ltr>{u.label}</Ltr>
                            </span>
                          </Button>
                        </Form>
                      )
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {(loaded.nextPage || !loaded.firstPage) && (
        <nav className="govuk-body" aria-label={t("queue.pages")}>
          {!loaded.firstPage && (
            <Link className="govuk-link govuk-!-margin-inline-end-4" to="/staff/matching">
              {t("queue.firstPage")}
            </Link>
          )}
          {loaded.nextPage && (
            <Link className="govuk-link" to={`/staff/matching?after=${loaded.nextPage}`}>
              {t("queue.nextPage")}
            </Link>
          )}
        </nav>
      )}

      <h2 className="govuk-heading-m">{t("matches.title")}</h2>
      {loaded.matches.length === 0 ? (
        <p className="govuk-body">{t("matches.none")}</p>
      ) : (
        <ScrollRegion label={t("matches.caption")}>
          <table className="govuk-table" id="matches">
            <caption className="govuk-table__caption govuk-table__caption--s">{t("matches.caption")}</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                {["applicant", "return", "matched", "travel", "arrived"].map((c) => (
                  <th key={c} scope="col" className="govuk-table__header">
                    {t(`matches.columns.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {loaded.matches.map((m) => (
                <tr key={m.id} className="govuk-table__row" data-testid="match-row">
                  <th scope="row" className="govuk-table__header">
                    <Link className="govuk-link" to={`/staff/matching/matches/${m.id}`}>
                      <Ltr>{m.reference}</Ltr>
                    </Link>
                  </th>
                  <td className="govuk-table__cell">
                    {m.personRef ? <Ltr>{m.personRef}</Ltr> : t("matches.aheadOfReturns")}
                  </td>
                  <td className="govuk-table__cell">{m.matched}</td>
                  <td className="govuk-table__cell">{m.travel ?? t("matches.notRecorded")}</td>
                  <td className="govuk-table__cell">{m.arrived ?? t("matches.notYet")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <ul className="govuk-list">
        <li>
          <Link className="govuk-link" to="/staff/returns">
            {t("staff:layout.sections.returns")}
          </Link>
        </li>
        <li>
          <Link className="govuk-link" to="/staff/parity">
            {t("staff:layout.sections.parity")}
          </Link>
        </li>
      </ul>
    </>
  );
}

/** The refusal's numbers, with the limit named in words. */
function actionParams(actionData: ActionData, t: (key: string) => string) {
  const params = actionData.params ?? {};
  return { ...params, limit: params.limit ? t(`capacity.limitedBy.${params.limit}`) : "" };
}
