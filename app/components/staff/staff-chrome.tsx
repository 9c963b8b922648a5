import { Form, Link, useLocation, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "~/i18n/react";
import { CsrfInput } from "../form/csrf-input";

interface StaffLayoutData {
  staff: { name: string; role: string; lang: string } | null;
  sections: { id: string; path: string }[];
}

export const useStaffLayout = () => useRouteLoaderData("routes/staff/layout") as StaffLayoutData | undefined;

/**
 * The back office's frame: service name, the sections the signed-in role may use, who is signed
 * in, and sign-out. Before sign-in, a link switches between English and French.
 */
export function StaffChrome({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation("staff");
  const layout = useStaffLayout();
  const { pathname } = useLocation();
  const staff = layout?.staff;
  const other = i18n.language === "fr" ? "en" : "fr";
  return (
    <>
      <a href="#main-content" className="govuk-skip-link">
        {t("common:layout.skipLink")}
      </a>
      <header className="govuk-header app-staff-header">
        <div className="govuk-header__container govuk-width-container">
          <Link to="/staff" className="govuk-header__service-name">
            {t("layout.serviceName")}
          </Link>
          {staff ? (
            <div className="app-staff-header__account">
              <span className="app-staff-header__name">
                {staff.name} ({t(`roles.${staff.role}`)})
              </span>{" "}
              <Link className="govuk-header__link" to="/staff/profile">
                {t("layout.profile")}
              </Link>{" "}
              <Form method="post" action="/staff/sign-out" className="app-inline-form">
                <CsrfInput />
                <button type="submit" className="app-link-button govuk-header__link">
                  {t("layout.signOut")}
                </button>
              </Form>
            </div>
          ) : (
            <a
              className="govuk-header__link"
              href={`/staff/language?to=${other}&next=${encodeURIComponent(pathname)}`}
              hrefLang={other}
              lang={other}
            >
              {t(`layout.switchTo.${other}`)}
            </a>
          )}
        </div>
        {staff && layout.sections.length > 0 && (
          <nav className="govuk-width-container app-staff-nav" aria-label={t("layout.menu")}>
            <ul className="app-staff-nav__list">
              {layout.sections.map((s) => (
                <li key={s.id} className="app-staff-nav__item">
                  <Link
                    className="govuk-link app-staff-nav__link"
                    to={s.path}
                    aria-current={pathname.startsWith(s.path) ? "page" : undefined}
                  >
                    {t(`layout.sections.${s.id}`)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </header>
      <div className="govuk-width-container app-staff-width">
        <main className="govuk-main-wrapper" id="main-content" tabIndex={-1}>
          {children}
        </main>
      </div>
    </>
  );
}
