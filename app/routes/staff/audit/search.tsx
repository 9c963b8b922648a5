import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { invalid, readForm } from "~/.server/form.server";
import { fixedT } from "~/.server/i18n.server";
import { SEARCH_PARAM, savedSearch, saveSearch } from "~/.server/saved-search.server";
import { requireStaff, staffActor } from "~/.server/staff-auth.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { FieldControl } from "~/components/form/question-form";
import { Button, ButtonGroup } from "~/components/govuk/button";
import { ErrorSummary } from "~/components/govuk/error-summary";
import { Table } from "~/components/govuk/table";
import { ScrollRegion } from "~/components/staff/scroll-region";
import { auditFilterFields, personalAuditFilters } from "~/domain/audit/audit-search.pages";
import {
  AUDIT_EXPORT_MAX,
  detailsSummary,
  filterQuery,
  type ParsedQuery,
  parseAuditQuery,
  searchAudit,
} from "~/domain/audit/audit-search.server";
import { inputId } from "~/domain/forms/fields";
import { can } from "~/domain/staff/staff.rules";
import { PARIS } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["backoffice", "staff"], titleKey: "backoffice:audit.title" };

/**
 * The audit log for auditors: a form of filters, newest first, 50 a page with a link to older
 * entries, and the same filters as a CSV download. The URL holds the filters that name nobody;
 * a case reference or a colleague's email is kept in the session under the id the URL carries
 * (app/.server/saved-search.server.ts). Each search is itself recorded in the log.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "audit.view");
  const saved = await savedSearch(request, "audit");
  const query = parseAuditQuery(new URL(request.url).searchParams, saved?.terms);
  // Another person's link, or an ended session: its reference or email is not here to search with.
  const parsed: ParsedQuery = saved
    ? query
    : { ok: false, values: query.values, errors: { caseReference: "backoffice:audit.searchGone" } };
  const search = { [SEARCH_PARAM]: saved?.id };
  const result = parsed.ok
    ? await searchAudit(parsed.filters, parsed.after, staffActor(staff, context))
    : parsed;
  const base = {
    values: parsed.values,
    exportMax: new Intl.NumberFormat(staff.lang).format(AUDIT_EXPORT_MAX),
  };
  if (!result.ok) {
    const [common, backoffice] = await Promise.all([
      fixedT(staff.lang, "common"),
      fixedT(staff.lang, "backoffice"),
    ]);
    return {
      ...base,
      // GOV.UK: the title says "Error:" too (DocumentTitle only sees a form's action data).
      title: `${common("layout.errorPrefix")} ${backoffice("audit.title")}`,
      errors: result.errors,
      entries: null,
      next: null,
      first: null,
      exportHref: null,
    };
  }
  const when = new Intl.DateTimeFormat(staff.lang, {
    dateStyle: "medium",
    timeStyle: "medium",
    timeZone: PARIS,
  });
  const after = parsed.ok ? parsed.after : undefined;
  return {
    ...base,
    errors: {} as Record<string, string>,
    entries: result.entries.map((e) => ({
      id: e.id,
      at: when.format(e.at),
      actor: e.actor,
      onBehalfOf: e.onBehalfOf,
      action: e.action,
      subject: e.subject,
      ip: e.ip,
      requestId: e.requestId,
      details: detailsSummary(e.details),
    })),
    next: result.next
      ? `/staff/audit${filterQuery(parsed.values, { ...search, after: String(result.next) })}`
      : null,
    first: after ? `/staff/audit${filterQuery(parsed.values, search)}` : null,
    exportHref:
      can(staff.role, "audit.export") && result.entries.length > 0
        ? `/staff/audit/export${filterQuery(parsed.values, search)}`
        : null,
  };
}

/**
 * The filter form, posted: a case reference or an email is saved in the session and the URL
 * carries its id; the other filters go in the URL as they are (303, so the results are a GET).
 */
export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request, "audit.view");
  const { values } = await readForm(request);
  // A posted form: every filter comes from it.
  const parsed = parseAuditQuery(new URLSearchParams(values), values);
  if (!parsed.ok) return invalid(parsed.errors, parsed.values);
  const personal = Object.fromEntries(personalAuditFilters.map((name) => [name, parsed.values[name]]));
  const search = await saveSearch(request, "audit", personal);
  return redirect(`/staff/audit${filterQuery(parsed.values, { [SEARCH_PARAM]: search })}`, 303);
}

export default function AuditSearch() {
  const loaded = useLoaderData<typeof loader>();
  const { entries, next, first, exportHref, exportMax } = loaded;
  // A form with errors comes back from the action, with what was typed.
  const { values, errors } = useActionData<typeof action>() ?? loaded;
  const { t, i18n } = useTranslation(["backoffice", "staff"]);
  const summary = auditFilterFields
    .filter((f) => errors[f.name])
    .map((f) => ({ href: `#${inputId(f)}`, text: t(errors[f.name] as string) }));
  const [textFields, dateFields] = [
    auditFilterFields.filter((f) => f.kind !== "date"),
    auditFilterFields.filter((f) => f.kind === "date"),
  ];
  // Every filter is optional, so none is labelled "(optional)".
  const field = (f: (typeof auditFilterFields)[number]) => (
    <FieldControl
      key={f.name}
      field={{ ...f, optional: false }}
      ns="backoffice"
      lang={i18n.language}
      values={values}
      errors={errors}
    />
  );

  return (
    <>
      <ErrorSummary errors={summary} />
      <h1 className="govuk-heading-l">{t("audit.title")}</h1>
      <p className="govuk-body">{t("audit.intro")}</p>
      <Form method="post">
        <CsrfInput />
        <h2 className="govuk-heading-m">{t("audit.filters.title")}</h2>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-half">{textFields.slice(0, 3).map(field)}</div>
          <div className="govuk-grid-column-one-half">
            {textFields.slice(3).map(field)}
            {dateFields.map(field)}
          </div>
        </div>
        <ButtonGroup>
          <Button>{t("audit.filters.submit")}</Button>
          <Link className="govuk-link" to="/staff/audit">
            {t("audit.filters.clear")}
          </Link>
        </ButtonGroup>
      </Form>

      {entries && (
        <>
          <h2 className="govuk-heading-m">{t("audit.results.title")}</h2>
          {entries.length === 0 ? (
            <p className="govuk-body">{t("audit.results.none")}</p>
          ) : (
            <>
              <p className="govuk-body">{t("audit.results.order")}</p>
              {exportHref && (
                <p className="govuk-body">
                  <a className="govuk-link" href={exportHref}>
                    {t("audit.export.link")}
                  </a>{" "}
                  {t("audit.export.limit", { max: exportMax })}
                </p>
              )}
              <ScrollRegion label={t("audit.results.caption")}>
                <Table
                  caption={t("audit.results.caption")}
                  captionSize="s"
                  head={["at", "actor", "action", "subject", "ip", "requestId", "details"].map((c) => ({
                    text: t(`audit.columns.${c}`),
                  }))}
                  rows={entries.map((e) => [
                    { text: e.at },
                    {
                      text: (
                        <>
                          {e.actor.name ??
                            t(`audit.actorTypes.${e.actor.type}`, { defaultValue: e.actor.type })}
                          {e.actor.email && (
                            <span className="govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0">
                              {e.actor.email}
                            </span>
                          )}
                          {e.onBehalfOf && (
                            <span className="govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0">
                              {t("audit.onBehalfOf", { case: e.onBehalfOf.reference ?? e.onBehalfOf.id })}
                            </span>
                          )}
                        </>
                      ),
                    },
                    { text: <code>{e.action}</code> },
                    {
                      text: e.subject ? (
                        <>
                          {t(`audit.subjectTypes.${e.subject.type}`, { defaultValue: e.subject.type })}
                          <span className="govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0">
                            {e.subject.label ?? e.subject.id}
                          </span>
                        </>
                      ) : null,
                    },
                    { text: e.ip },
                    { text: e.requestId },
                    { text: <span className="govuk-body-s">{e.details}</span> },
                  ])}
                />
              </ScrollRegion>
              {(first || next) && (
                <nav
                  className="govuk-pagination govuk-pagination--block"
                  aria-label={t("audit.results.pages")}
                >
                  {first && (
                    <div className="govuk-pagination__prev">
                      <Link className="govuk-link govuk-pagination__link" to={first} rel="prev">
                        <span className="govuk-pagination__link-title">{t("audit.results.first")}</span>
                      </Link>
                    </div>
                  )}
                  {next && (
                    <div className="govuk-pagination__next">
                      <Link className="govuk-link govuk-pagination__link" to={next} rel="next">
                        <span className="govuk-pagination__link-title">{t("audit.results.next")}</span>
                      </Link>
                    </div>
                  )}
                </nav>
              )}
            </>
          )}
        </>
      )}
    </>
  );
}
