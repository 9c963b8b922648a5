import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { Button } from "~/components/govuk/button";
import { nextWindow, openWindow } from "~/domain/eoi/eoi.service.server";
import { formatDate } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["journey"], titleKey: "journey:start.title" };

export async function loader(_: LoaderFunctionArgs) {
  const open = await openWindow();
  const next = open ? null : await nextWindow();
  return { closesAt: open?.closesAt.toISOString() ?? null, opensAt: next?.opensAt.toISOString() ?? null };
}

/** What the scheme is, what to have ready, and whether applications are open right now. */
export default function Start() {
  const { t } = useTranslation("journey");
  const { lang = "" } = useParams();
  const { closesAt, opensAt } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-xl">{t("start.title")}</h1>
        <p className="govuk-body">{t("start.what")}</p>
        {closesAt ? (
          <div className="govuk-inset-text">
            {t("start.windowOpen", { date: formatDate(closesAt, lang) })}
          </div>
        ) : (
          <div className="govuk-warning-text">
            <span className="govuk-warning-text__icon" aria-hidden="true">
              !
            </span>
            <strong className="govuk-warning-text__text">
              {opensAt
                ? t("start.windowClosedNext", { date: formatDate(opensAt, lang) })
                : t("start.windowClosed")}
            </strong>
          </div>
        )}
        <h2 className="govuk-heading-m">{t("start.needTitle")}</h2>
        <ul className="govuk-list govuk-list--bullet">
          <li>{t("start.need.document")}</li>
          <li>{t("start.need.photo")}</li>
          <li>{t("start.need.contact")}</li>
          <li>{t("start.need.family")}</li>
        </ul>
        <p className="govuk-body">{t("start.save")}</p>
        <Button href={`/${lang}/apply/eligibility/in-france`} isStartButton>
          {t("start.button")}
        </Button>
        <h2 className="govuk-heading-m">{t("start.resumeTitle")}</h2>
        <p className="govuk-body">
          <Link className="govuk-link" to={`/${lang}/apply/resume`}>
            {t("start.resumeLink")}
          </Link>
        </p>
      </div>
    </div>
  );
}
