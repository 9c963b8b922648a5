import { Link, useParams } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["journey"], titleKey: "journey:signedOut.title" };

/** After "Sign out": nothing of theirs is left open here, and how to come back to each part. */
export default function SignedOut() {
  const { t } = useTranslation("journey");
  const { lang = "" } = useParams();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">{t("signedOut.title")}</h1>
        <p className="govuk-body">{t("signedOut.body")}</p>
        <h2 className="govuk-heading-m">{t("signedOut.resumeTitle")}</h2>
        <p className="govuk-body">{t("signedOut.resumeBody")}</p>
        <p className="govuk-body">
          <Link className="govuk-link" to={`/${lang}/apply/resume`}>
            {t("signedOut.resumeLink")}
          </Link>
        </p>
        <h2 className="govuk-heading-m">{t("signedOut.statusTitle")}</h2>
        <p className="govuk-body">{t("signedOut.statusBody")}</p>
        <p className="govuk-body">
          <Link className="govuk-link" to={`/${lang}/status`}>
            {t("signedOut.statusLink")}
          </Link>
        </p>
      </div>
    </div>
  );
}
