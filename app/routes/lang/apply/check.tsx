import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { requireDraft } from "~/.server/applicant.server";
import { AnswerValue } from "~/components/form/answer-value";
import { Ltr } from "~/components/govuk/ltr";
import { SummaryList } from "~/components/govuk/summary-list";
import { countryOptions } from "~/domain/eoi/countries";
import { type AllAnswers, answersOf, isComplete, sections } from "~/domain/eoi/eoi.pages";
import { flatFields } from "~/domain/forms/fields";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["apply", "journey"], titleKey: "journey:check.title" };

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { draft, setCookie } = await requireDraft(request, context, params.lang as string);
  if (draft.status !== "draft") throw redirect(`/${params.lang}/apply/confirmation`);
  if (!isComplete(draft.answers)) throw redirect(`/${params.lang}/apply/tasks`);
  const countryNames = Object.fromEntries(
    countryOptions(params.lang as string).map((c) => [c.value, c.label]),
  );
  return Response.json({ answers: draft.answers, countryNames }, { headers: { "Set-Cookie": setCookie } });
}

/** Check your answers: every answer with a link back to change it, section by section. */
export default function Check() {
  const { t } = useTranslation(["journey", "apply"]);
  const { lang = "" } = useParams();
  const { answers, countryNames } = useLoaderData<{
    answers: AllAnswers;
    countryNames: Record<string, string>;
  }>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">{t("check.title")}</h1>
        {sections.map((section) => (
          <section key={section.id}>
            <h2 className="govuk-heading-m">{t(`apply:sections.${section.id}`)}</h2>
            <SummaryList
              rows={section.pages.flatMap((page) => {
                if (page.custom === "upload-document" || page.custom === "upload-photo") {
                  const kind = page.custom === "upload-photo" ? "photo" : "identity_document";
                  const id = answers.uploads?.[kind];
                  return id
                    ? [
                        {
                          key: t(`apply:pages.${page.slug}.title`),
                          value: (
                            <a className="govuk-link" href={`/${lang}/apply/files/${id}`}>
                              {t("check.viewFile")}
                            </a>
                          ),
                          actions: [
                            {
                              href: `/${lang}/apply/${page.slug}?from=check`,
                              visuallyHiddenText: t(`apply:pages.${page.slug}.title`),
                            },
                          ],
                        },
                      ]
                    : [];
                }
                if (page.custom === "children") {
                  const children = answers.children ?? [];
                  return [
                    {
                      key: t("apply:pages.children.title"),
                      value: children.length ? (
                        <ul className="govuk-list">
                          {children.map((c) => (
                            <li key={c.id}>
                              <Ltr>{`${c.givenNames} ${c.familyName}`}</Ltr>
                            </li>
                          ))}
                        </ul>
                      ) : (
                        t("check.noChildren")
                      ),
                      actions: [
                        {
                          href: `/${lang}/apply/children?from=check`,
                          visuallyHiddenText: t("apply:pages.children.title"),
                        },
                      ],
                    },
                  ];
                }
                const saved = answersOf(answers, page.slug);
                if (!saved) return [];
                return flatFields(page.fields)
                  .filter((f) => saved[f.name] !== undefined)
                  .map((f) => ({
                    key: t(`apply:fields.${f.name}.label`),
                    value: (
                      <AnswerValue
                        field={f}
                        value={saved[f.name] as string}
                        lang={lang}
                        countryNames={countryNames}
                      />
                    ),
                    actions: [
                      {
                        href: `/${lang}/apply/q/${page.slug}?from=check`,
                        visuallyHiddenText: t(`apply:fields.${f.name}.label`),
                      },
                    ],
                  }));
              })}
            />
          </section>
        ))}
        <h2 className="govuk-heading-m">{t("check.nextTitle")}</h2>
        <p className="govuk-body">{t("check.next")}</p>
        <Link to={`/${lang}/apply/declaration`} className="govuk-button" role="button" draggable="false">
          {t("check.continue")}
        </Link>
      </div>
    </div>
  );
}
