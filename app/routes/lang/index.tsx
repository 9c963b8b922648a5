import { Link, useParams } from "@remix-run/react";
import { Button } from "~/components/govuk/button";
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
        <Button href={localePath(lang, "/apply")} isStartButton>
          {t("home.start")}
        </Button>
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
