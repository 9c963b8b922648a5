import { Link, useParams } from "@remix-run/react";
import { localePath } from "~/i18n/config";
import { useTranslation } from "~/i18n/react";

export const handle = { titleKey: "home.title" };

export default function Home() {
  const { t } = useTranslation("common");
  const lang = useParams().lang ?? "";
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-xl">{t("home.title")}</h1>
        <p className="govuk-body-l">{t("home.lede")}</p>
        <p className="govuk-body">{t("home.free")}</p>
        <h2 className="govuk-heading-m">{t("home.howTitle")}</h2>
        <ol className="govuk-list govuk-list--number">
          <li>{t("home.how.eoi")}</li>
          <li>{t("home.how.location")}</li>
          <li>{t("home.how.selection")}</li>
          <li>{t("home.how.biometrics")}</li>
        </ol>
        <Link
          to={localePath(lang, "/apply")}
          className="govuk-button govuk-button--start"
          role="button"
          draggable="false"
        >
          {t("home.start")}
          <svg
            className="govuk-button__start-icon"
            xmlns="http://www.w3.org/2000/svg"
            width="17.5"
            height="19"
            viewBox="0 0 33 40"
            aria-hidden="true"
            focusable="false"
          >
            <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
          </svg>
        </Link>
        <h2 className="govuk-heading-m">{t("home.alreadyTitle")}</h2>
        <p className="govuk-body">
          <Link className="govuk-link" to={localePath(lang, "/status")}>
            {t("home.trackLink")}
          </Link>
        </p>
      </div>
    </div>
  );
}
