import { Link, useLocation, useRouteLoaderData } from "@remix-run/react";
import { defaultLanguage, type LanguageInfo, localePath, switchLanguagePath } from "~/i18n/config";
import { useTranslation } from "~/i18n/react";

interface RootLike {
  lang: string;
  languages: LanguageInfo[];
}

export function Header() {
  const { t } = useTranslation("common");
  const root = useRouteLoaderData("root") as RootLike | undefined;
  const lang = root?.lang ?? defaultLanguage;
  return (
    <>
      <a href="#main-content" className="govuk-skip-link">
        {t("layout.skipLink")}
      </a>
      <header className="govuk-header" data-module="govuk-header">
        <div className="govuk-header__container govuk-width-container">
          <Link to={localePath(lang, "/")} className="govuk-header__service-name">
            {t("layout.serviceName")}
          </Link>
          <LanguageSwitcher current={lang} languages={root?.languages ?? []} />
        </div>
      </header>
      <div className="govuk-width-container">
        <div className="govuk-phase-banner">
          <p className="govuk-phase-banner__content">
            <strong className="govuk-tag govuk-phase-banner__content__tag">{t("layout.phase")}</strong>
            <span className="govuk-phase-banner__text">{t("layout.phaseText")}</span>
          </p>
        </div>
      </div>
    </>
  );
}

/**
 * Plain links (a full page load), so switching works without JavaScript and the server sets
 * lang and dir for the new language. Each name is written in its own language.
 */
export function LanguageSwitcher({ current, languages }: { current: string; languages: LanguageInfo[] }) {
  const { t } = useTranslation("common");
  const location = useLocation();
  return (
    <nav className="app-language-switcher" aria-label={t("layout.languageSwitcher")}>
      <ul className="app-language-switcher__list">
        {languages.map((l) =>
          l.code === current ? (
            <li key={l.code} className="app-language-switcher__item" aria-current="true">
              <span lang={l.code} dir={l.dir}>
                {l.name}
              </span>
            </li>
          ) : (
            <li key={l.code} className="app-language-switcher__item">
              <a
                href={switchLanguagePath(location.pathname + location.search, l.code)}
                hrefLang={l.code}
                lang={l.code}
                dir={l.dir}
                className="govuk-link app-language-switcher__link"
              >
                {l.name}
              </a>
            </li>
          ),
        )}
      </ul>
    </nav>
  );
}
