import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { invalid, readForm } from "~/.server/form.server";
import { requestLanguage } from "~/.server/i18n.server";
import { SEARCH_PARAM, savedSearch, saveSearch } from "~/.server/saved-search.server";
import { requireStaff } from "~/.server/staff-auth.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { Button, ButtonGroup } from "~/components/govuk/button";
import { ErrorSummary } from "~/components/govuk/error-summary";
import { Input } from "~/components/govuk/input";
import { Ltr } from "~/components/govuk/ltr";
import { Select } from "~/components/govuk/select";
import { Table } from "~/components/govuk/table";
import { Tag, type TagColour } from "~/components/govuk/tag";
import { StatusTag } from "~/components/status-tag";
import {
  familyChoices,
  type QueueFlag,
  type QueueParam,
  queueFlags,
  queueQuerySchema,
  queueSearchParams,
  queueSorts,
  queueStatuses,
  queueValues,
} from "~/domain/cases/queue.rules";
import { queueView } from "~/domain/cases/queue.server";
import { countryOptions } from "~/domain/eoi/countries";
import { PARIS } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["queue", "case", "staff"], titleKey: "queue:title" };

const errorsOf = (issues: readonly { path: PropertyKey[]; message: string }[] = []) => {
  const errors: Partial<Record<QueueParam, string>> = {};
  for (const issue of issues) errors[issue.path[0] as QueueParam] ??= issue.message;
  return errors;
};

/**
 * The caseworkers' queue: submitted EOIs, filtered by a form that works without JavaScript and
 * paged by a cursor. The URL holds the filters that name nobody, so a filtered list can be
 * bookmarked; the search text (a name or a reference) is kept in the session under the id the
 * URL carries instead (app/.server/saved-search.server.ts). It shows no personal data.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "cases.view");
  const saved = await savedSearch(request, "queue");
  // The search text is never read from the URL, only from the session.
  const { q: _never, ...fromUrl } = queueValues(new URL(request.url).searchParams);
  const values = { ...fromUrl, ...(saved?.terms.q ? { q: saved.terms.q } : {}) };
  const parsed = queueQuerySchema.safeParse(values);
  const ok = parsed.success && saved !== null;
  const { options, page } = await queueView(ok ? parsed.data : null);

  const errors = errorsOf(parsed.error?.issues);
  if (!saved) errors.q ??= "queue:errors.searchGone";
  const { cursor, q: _q, ...shareable } = values;
  const firstPage = new URLSearchParams([
    ...Object.entries(shareable).filter((e): e is [string, string] => Boolean(e[1])),
    ...(saved?.id ? [[SEARCH_PARAM, saved.id]] : []),
  ]).toString();

  // Country names and dates are written here, by the server's ICU, so the page hydrates identically.
  const lang = requestLanguage(request);
  const countryNames = new Intl.DisplayNames([lang], { type: "region", fallback: "code" });
  const nationalityName = (code: string | null) =>
    code && code !== "stateless" ? (countryNames.of(code) ?? code) : null;
  const when = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", timeZone: PARIS });

  return data(
    {
      titleKey: ok ? "queue:title" : "queue:titleWithError",
      values: { ...shareable, q: values.q },
      errors,
      nationalities: [
        ...countryOptions(
          lang,
          options.nationalities.filter((code) => code !== "stateless"),
        ).map((c) => ({
          code: c.value,
          name: c.label as string | null,
        })),
        // Stateless (null: translated on the page) comes after the countries.
        ...(options.nationalities.includes("stateless") ? [{ code: "stateless", name: null }] : []),
      ],
      windows: options.windows,
      rows:
        page?.rows.map((row) => ({
          id: row.id,
          reference: row.reference,
          submittedAt: row.submittedAt.toISOString(),
          submitted: when.format(row.submittedAt),
          status: row.status,
          nationality: nationalityName(row.nationality),
          windowName: row.windowName,
          familyReference: row.familyReference,
          flags: row.flags,
          claimedBy: row.claimedBy,
        })) ?? null,
      firstPageHref: `/staff/cases${firstPage ? `?${firstPage}` : ""}`,
      nextHref:
        parsed.success && page?.nextCursor
          ? `/staff/cases${queueSearchParams(parsed.data.filters, { search: saved?.id, cursor: page.nextCursor })}`
          : null,
      isFirstPage: !cursor,
    },
    { status: ok ? 200 : 400 },
  );
}

/**
 * The filter form, posted: a search text is saved in the session and the list's URL carries its
 * id, never the text; the other filters go in the URL as they are (303, so the list is a GET).
 */
export async function action({ request }: ActionFunctionArgs) {
  await requireStaff(request, "cases.view");
  const { values } = await readForm(request);
  const { cursor: _cursor, ...form } = queueValues(new URLSearchParams(values));
  const parsed = queueQuerySchema.safeParse(form);
  if (!parsed.success) return invalid(errorsOf(parsed.error.issues), form);
  const search = await saveSearch(request, "queue", { q: parsed.data.filters.search?.text });
  return redirect(`/staff/cases${queueSearchParams(parsed.data.filters, { search })}`, 303);
}

const flagColour: Record<QueueFlag, TagColour> = {
  possible_duplicate: "orange",
  previously_returned: "red",
  location_unverified: "yellow",
};

export default function CaseQueue() {
  const loaded = useLoaderData<typeof loader>();
  const { nationalities, windows, rows, nextHref, isFirstPage, firstPageHref } = loaded;
  // A form with errors comes back from the action, with what was typed.
  const { values, errors } = useActionData<typeof action>() ?? loaded;
  const { t } = useTranslation(["queue", "case"]);
  const error = (field: QueueParam) => (errors[field] ? t(errors[field]) : undefined);
  const summary = Object.entries(errors).map(([field, key]) => ({
    href: field === "cursor" ? firstPageHref : `#${field}`,
    text: t(key),
  }));
  const any = (key: string) => ({ value: "", text: t(key) });

  return (
    <>
      <ErrorSummary errors={summary} />
      <h1 className="govuk-heading-l">{t("title")}</h1>
      <p className="govuk-body">{t("intro")}</p>

      <Form method="post" action="/staff/cases" role="search" aria-labelledby="queue-filters">
        <CsrfInput />
        <h2 className="govuk-heading-m" id="queue-filters">
          {t("filters.heading")}
        </h2>
        <Input
          name="q"
          label={t("filters.q.label")}
          hint={t("filters.q.hint")}
          width={30}
          defaultValue={values.q}
          error={error("q")}
          spellCheck={false}
          autoComplete="off"
        />
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-third">
            <Select
              name="status"
              label={t("filters.status.label")}
              defaultValue={values.status ?? ""}
              error={error("status")}
              options={[
                any("filters.status.any"),
                ...queueStatuses.map((s) => ({ value: s, text: t(`case:statuses.${s}`) })),
              ]}
            />
          </div>
          <div className="govuk-grid-column-one-third">
            <Select
              name="window"
              label={t("filters.window.label")}
              defaultValue={values.window ?? ""}
              error={error("window")}
              options={[any("filters.window.any"), ...windows.map((w) => ({ value: w.id, text: w.name }))]}
            />
          </div>
          <div className="govuk-grid-column-one-third">
            <Select
              name="nationality"
              label={t("filters.nationality.label")}
              defaultValue={values.nationality ?? ""}
              error={error("nationality")}
              options={[
                any("filters.nationality.any"),
                ...nationalities.map((c) => ({ value: c.code, text: c.name ?? t("stateless") })),
              ]}
            />
          </div>
        </div>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-third">
            <Select
              name="flag"
              label={t("filters.flag.label")}
              defaultValue={values.flag ?? ""}
              error={error("flag")}
              options={[
                any("filters.flag.any"),
                ...queueFlags.map((f) => ({ value: f, text: t(`case:flags.kinds.${f}`) })),
              ]}
            />
          </div>
          <div className="govuk-grid-column-one-third">
            <Select
              name="family"
              label={t("filters.family.label")}
              defaultValue={values.family ?? ""}
              error={error("family")}
              options={[
                any("filters.family.any"),
                ...familyChoices.map((f) => ({ value: f, text: t(`filters.family.${f}`) })),
              ]}
            />
          </div>
          <div className="govuk-grid-column-one-third">
            <Select
              name="sort"
              label={t("filters.sort.label")}
              defaultValue={values.sort ?? "oldest"}
              error={error("sort")}
              options={queueSorts.map((s) => ({ value: s, text: t(`filters.sort.${s}`) }))}
            />
          </div>
        </div>
        <ButtonGroup>
          <Button type="submit">{t("filters.apply")}</Button>
          <Link className="govuk-link" to="/staff/cases">
            {t("filters.clear")}
          </Link>
        </ButtonGroup>
      </Form>

      {rows && rows.length === 0 && (
        <>
          <h2 className="govuk-heading-m">{t("empty.title")}</h2>
          <p className="govuk-body">{t("empty.body")}</p>
        </>
      )}
      {rows && rows.length > 0 && (
        <>
          <p className="govuk-body">{t("table.count", { count: rows.length })}</p>
          <Table
            caption={t("table.caption")}
            captionSize="m"
            head={[
              "reference",
              "submitted",
              "status",
              "nationality",
              "window",
              "flags",
              "family",
              "claimedBy",
            ].map((c) => ({ text: t(`table.columns.${c}`) }))}
            rows={rows.map((row) => [
              {
                text: (
                  <Link className="govuk-link" to={`/staff/cases/${row.id}`}>
                    <Ltr>{row.reference}</Ltr>
                  </Link>
                ),
              },
              { text: <time dateTime={row.submittedAt}>{row.submitted}</time> },
              { text: <StatusTag status={row.status}>{t(`case:statuses.${row.status}`)}</StatusTag> },
              { text: row.nationality ?? t("stateless") },
              { text: row.windowName },
              {
                text:
                  row.flags.length > 0 ? (
                    <ul className="govuk-list govuk-!-margin-bottom-0">
                      {row.flags.map((f) => (
                        <li key={f} className="govuk-!-margin-bottom-1">
                          <Tag colour={flagColour[f]}>{t(`case:flags.kinds.${f}`)}</Tag>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    t("table.noFlags")
                  ),
              },
              { text: row.familyReference ? <Ltr>{row.familyReference}</Ltr> : t("table.noFamily") },
              { text: row.claimedBy ?? t("table.notClaimed") },
            ])}
          />
        </>
      )}
      {(nextHref || !isFirstPage) && (
        <nav className="govuk-pagination govuk-pagination--block" aria-label={t("pagination.label")}>
          {!isFirstPage && (
            <div className="govuk-pagination__prev">
              <Link className="govuk-link govuk-pagination__link" to={firstPageHref}>
                <Arrow direction="prev" />{" "}
                <span className="govuk-pagination__link-title">{t("pagination.first")}</span>
              </Link>
            </div>
          )}
          {nextHref && (
            <div className="govuk-pagination__next">
              <Link className="govuk-link govuk-pagination__link" to={nextHref} rel="next">
                <Arrow direction="next" />{" "}
                <span className="govuk-pagination__link-title">{t("pagination.next")}</span>
              </Link>
            </div>
          )}
        </nav>
      )}
    </>
  );
}

/** The arrows of GOV.UK pagination (the markup of its Nunjucks macro; there is no React one yet). */
function Arrow({ direction }: { direction: "prev" | "next" }) {
  return (
    <svg
      className={`govuk-pagination__icon govuk-pagination__icon--${direction}`}
      xmlns="http://www.w3.org/2000/svg"
      height="13"
      width="15"
      aria-hidden="true"
      focusable="false"
      viewBox="0 0 15 13"
    >
      <path
        d={
          direction === "next"
            ? "m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z"
            : "m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z"
        }
      />
    </svg>
  );
}
