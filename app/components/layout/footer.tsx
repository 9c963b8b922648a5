import { Link, useRouteLoaderData } from "@remix-run/react";
import { defaultLanguage, localePath } from "~/i18n/config";
import { useTranslation } from "~/i18n/react";

export function Footer() {
  const { t } = useTranslation("common");
  const lang = (useRouteLoaderData("root") as { lang?: string } | undefined)?.lang ?? defaultLanguage;
  return (
    <footer className="govuk-footer">
      <div className="govuk-width-container">
        <h2 className="govuk-visually-hidden">{t("layout.footerLinks")}</h2>
        <ul className="govuk-footer__inline-list">
          {(["privacy", "accessibility", "cookies"] as const).map((page) => (
            <li key={page} className="govuk-footer__inline-list-item">
              <Link className="govuk-footer__link" to={localePath(lang, `/${page}`)}>
                {t(`layout.footer.${page}`)}
              </Link>
            </li>
          ))}
        </ul>
        <p className="govuk-footer__meta">{t("layout.footer.operator")}</p>
      </div>
    </footer>
  );
}
