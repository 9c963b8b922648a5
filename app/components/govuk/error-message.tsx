import type { ReactNode } from "react";
import { useTranslation } from "~/i18n/react";

/** The inline error: same text as the error summary, prefixed for screen readers. */
export function ErrorMessage({ id, children }: { id: string; children: ReactNode }) {
  const { t } = useTranslation("common");
  return (
    <p id={id} className="govuk-error-message">
      <span className="govuk-visually-hidden">{t("components.errorPrefix")}</span> {children}
    </p>
  );
}
