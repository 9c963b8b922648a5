import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useParams } from "@remix-run/react";
import { readPreDraft } from "~/.server/applicant.server";
import { eligibilityOutcome } from "~/domain/eoi/eoi.pages";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["journey"], titleKey: "journey:eligible.title" };

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { answers } = await readPreDraft(request);
  if (eligibilityOutcome(answers) !== "eligible")
    throw redirect(`/${params.lang}/apply/eligibility/in-france`);
  return null;
}

export default function Eligible() {
  const { t } = useTranslation("journey");
  const { lang = "" } = useParams();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">{t("eligible.title")}</h1>
        <p className="govuk-body">{t("eligible.body")}</p>
        <p className="govuk-body">{t("eligible.contact")}</p>
        <Link to={`/${lang}/apply/contact`} className="govuk-button" role="button" draggable="false">
          {t("eligible.button")}
        </Link>
      </div>
    </div>
  );
}
