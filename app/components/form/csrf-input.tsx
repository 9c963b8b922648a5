import { useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "~/i18n/react";

/** The CSRF token every POST form carries (checked by readForm on the server). */
export function CsrfInput() {
  const root = useRouteLoaderData("root") as { csrfToken?: string } | undefined;
  return <input type="hidden" name="csrf" value={root?.csrfToken ?? ""} />;
}

/** An empty field hidden from people; bots that fill it in are refused (anonymous forms only). */
export function Honeypot() {
  const { t } = useTranslation("common");
  return (
    <div className="app-honeypot" aria-hidden="true">
      <label htmlFor="website">{t("components.honeypot")}</label>
      <input type="text" id="website" name="website" tabIndex={-1} autoComplete="off" />
    </div>
  );
}
