import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { readForm } from "~/.server/form.server";
import { SEARCH_PARAM, savedSearch, saveSearch } from "~/.server/saved-search.server";
import { requireStaff } from "~/.server/staff-auth.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { Button, ButtonGroup } from "~/components/govuk/button";
import { Checkboxes } from "~/components/govuk/checkboxes";
import { ErrorSummary } from "~/components/govuk/error-summary";
import { Input } from "~/components/govuk/input";
import { Ltr } from "~/components/govuk/ltr";
import { Select } from "~/components/govuk/select";
import { Table } from "~/components/govuk/table";
import { Tag } from "~/components/govuk/tag";
import { ScrollRegion } from "~/components/staff/scroll-region";
import {
  limitColour,
  registerQuery,
  returnLimits,
  stageColour,
  stages,
} from "~/domain/returns/returns.rules";
import { listReturns } from "~/domain/returns/returns.service.server";
import { parisDay } from "~/domain/windows/windows.rules";
import { formatDay } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["returns", "staff"], titleKey: "returns:register.title" };

/** The register's URL: the stage, "needs attention", the id of a saved person reference, the page. */
function registerHref(query: ReturnType<typeof registerQuery>, search?: string | null, page = 1) {
  const params = new URLSearchParams(
    Object.entries({
      stage: query.stage,
      attention: query.attention ? "yes" : undefined,
      [SEARCH_PARAM]: search ?? undefined,
      page: page > 1 ? String(page) : undefined,
    }).filter((e): e is [string, string] => Boolean(e[1])),
  );
  const text = params.toString();
  return `/staff/returns${text ? `?${text}` : ""}`;
}

/**
 * The returns register: counts per stage, then the returns filtered by a form (stage, needing
 * attention, person reference), newest arrival first, 50 a page. The person reference is kept in
 * the session under the id the URL carries, never in the URL (app/.server/saved-search.server.ts).
 * No names: those are on each return's page, where every view is audited.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "returns.manage");
  const saved = await savedSearch(request, "returns");
  const query = registerQuery(new URL(request.url).searchParams, saved?.terms);
  const today = parisDay(new Date());
  const result = await listReturns(query, query.page, today);
  const number = new Intl.NumberFormat(staff.lang);
  const countryNames = new Intl.DisplayNames([staff.lang], { type: "region", fallback: "code" });
  const page = (n: number) => registerHref(query, saved?.id, n);
  return {
    // Another person's link, or an ended session: the reference it searched for is not here.
    searchGone: !saved,
    titleKey: saved ? "returns:register.title" : "returns:register.titleWithError",
    values: { ref: query.ref ?? "", stage: query.stage ?? "", attention: query.attention },
    perStage: stages.map((stage) => ({
      stage,
      count: number.format(result.perStage[stage] ?? 0),
      href: `/staff/returns?stage=${stage}`,
    })),
    attention: number.format(result.attention),
    total: number.format(result.total),
    rows: (saved ? result.rows : []).map((r) => {
      const [next] = returnLimits(r, today);
      return {
        id: r.id,
        personRef: r.personRef,
        nationality: r.nationality === "stateless" ? null : (countryNames.of(r.nationality) ?? r.nationality),
        ageCategory: r.ageCategory,
        stage: r.stage,
        arrival: formatDay(r.arrivalDay, staff.lang),
        limit: next ? { kind: next.kind, due: formatDay(next.due, staff.lang), state: next.state } : null,
      };
    }),
    previous: query.page > 1 ? page(query.page - 1) : null,
    next: saved && result.hasNext ? page(query.page + 1) : null,
  };
}

/** The filter form, posted: the person reference is saved in the session, the rest goes in the URL. */
export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request, "returns.manage");
  const { values } = await readForm(request);
  const query = registerQuery(new URLSearchParams(values), values);
  const search = await saveSearch(request, "returns", { ref: query.ref });
  return redirect(registerHref(query, search), 303);
}

export default function ReturnsRegister() {
  const { searchGone, values, perStage, attention, total, rows, previous, next } =
    useLoaderData<typeof loader>();
  const { t } = useTranslation(["returns", "staff"]);
  const refError = searchGone ? t("register.filters.searchGone") : undefined;
  return (
    <>
      <ErrorSummary errors={refError ? [{ href: "#ref", text: refError }] : []} />
      <h1 className="govuk-heading-l">{t("register.title")}</h1>
      <p className="govuk-body">{t("register.intro")}</p>
      <Button variant="secondary" href="/staff/returns/import" id="import-link">
        {t("register.import")}
      </Button>

      <ScrollRegion label={t("register.counts.caption")}>
        <Table
          caption={t("register.counts.caption")}
          captionSize="m"
          head={[
            ...perStage.map((s) => ({ text: t(`stages.${s.stage}`), format: "numeric" as const })),
            { text: t("register.counts.attention"), format: "numeric" },
          ]}
          rows={[
            [
              ...perStage.map((s) => ({
                format: "numeric" as const,
                text: (
                  <Link className="govuk-link" to={s.href}>
                    {s.count}
                    <span className="govuk-visually-hidden"> {t(`stages.${s.stage}`)}</span>
                  </Link>
                ),
              })),
              {
                format: "numeric",
                text: (
                  <Link className="govuk-link" to="/staff/returns?attention=yes">
                    {attention}
                    <span className="govuk-visually-hidden"> {t("register.counts.attention")}</span>
                  </Link>
                ),
              },
            ],
          ]}
        />
      </ScrollRegion>

      <Form method="post" action="/staff/returns" role="search" aria-labelledby="register-filters">
        <CsrfInput />
        <h2 className="govuk-heading-m" id="register-filters">
          {t("register.filters.title")}
        </h2>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-half">
            <Input
              name="ref"
              label={t("register.filters.ref")}
              defaultValue={values.ref}
              error={refError}
              spellCheck={false}
              autoComplete="off"
            />
          </div>
          <div className="govuk-grid-column-one-half">
            <Select
              name="stage"
              label={t("register.filters.stage")}
              defaultValue={values.stage}
              options={[
                { value: "", text: t("register.filters.anyStage") },
                ...perStage.map((s) => ({ value: s.stage, text: t(`stages.${s.stage}`) })),
              ]}
            />
          </div>
        </div>
        <Checkboxes
          name="attention"
          small
          defaultValue={values.attention ? ["yes"] : []}
          items={[{ value: "yes", label: t("register.filters.attention") }]}
        />
        <ButtonGroup>
          <Button>{t("register.filters.apply")}</Button>
          <Link className="govuk-link" to="/staff/returns">
            {t("register.filters.clear")}
          </Link>
        </ButtonGroup>
      </Form>

      <h2 className="govuk-heading-m">{t("register.list.title")}</h2>
      {rows.length === 0 ? (
        <p className="govuk-body">{t("register.list.none")}</p>
      ) : (
        <>
          <p className="govuk-body">{t("register.list.count", { count: total })}</p>
          <ScrollRegion label={t("register.list.title")}>
            <Table
              firstCellIsHeader
              head={["personRef", "nationality", "ageCategory", "stage", "arrival", "limit"].map((c) => ({
                text: t(`register.list.columns.${c}`),
              }))}
              rows={rows.map((r) => [
                {
                  text: (
                    <Link className="govuk-link" to={`/staff/returns/${r.id}`}>
                      <Ltr>{r.personRef}</Ltr>
                    </Link>
                  ),
                },
                { text: r.nationality ?? t("stateless") },
                { text: t(`ageCategories.${r.ageCategory}`) },
                { text: <Tag colour={stageColour[r.stage]}>{t(`stages.${r.stage}`)}</Tag> },
                { text: r.arrival },
                {
                  text: r.limit ? (
                    <>
                      {t(`limits.${r.limit.kind}`, { date: r.limit.due })}
                      {r.limit.state !== "ok" && (
                        <>
                          {" "}
                          <Tag colour={limitColour[r.limit.state]}>{t(`limits.states.${r.limit.state}`)}</Tag>
                        </>
                      )}
                    </>
                  ) : (
                    t("limits.none")
                  ),
                },
              ])}
            />
          </ScrollRegion>
        </>
      )}
      {(previous || next) && (
        <nav className="govuk-pagination govuk-pagination--block" aria-label={t("register.list.pages")}>
          {previous && (
            <div className="govuk-pagination__prev">
              <Link className="govuk-link govuk-pagination__link" to={previous} rel="prev">
                <span className="govuk-pagination__link-title">{t("register.list.previous")}</span>
              </Link>
            </div>
          )}
          {next && (
            <div className="govuk-pagination__next">
              <Link className="govuk-link govuk-pagination__link" to={next} rel="next">
                <span className="govuk-pagination__link-title">{t("register.list.next")}</span>
              </Link>
            </div>
          )}
        </nav>
      )}
    </>
  );
}
