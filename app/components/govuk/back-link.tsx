import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "~/i18n/react";

/**
 * GOV.UK back link, above the page's <main> content. A real URL (not history.back()) so it works
 * without JavaScript and after a reload; the arrow points the other way on right-to-left pages.
 */
export function BackLink({ to, children }: { to: string; children?: ReactNode }) {
  const { t } = useTranslation("common");
  return (
    <Link to={to} className="govuk-back-link">
      {children ?? t("layout.back")}
    </Link>
  );
}
