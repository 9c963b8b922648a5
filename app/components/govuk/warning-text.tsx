import type { ReactNode } from "react";
import { useTranslation } from "~/i18n/react";

export interface WarningTextProps {
  /** Read before the text by screen readers; defaults to "Warning". */
  iconFallbackText?: string;
  children: ReactNode;
}

export function WarningText({ iconFallbackText, children }: WarningTextProps) {
  const { t } = useTranslation("common");
  return (
    <div className="govuk-warning-text">
      <span className="govuk-warning-text__icon" aria-hidden="true">
        {"!"}
      </span>
      <strong className="govuk-warning-text__text">
        <span className="govuk-visually-hidden">{iconFallbackText ?? t("components.warning")}</span>
        {children}
      </strong>
    </div>
  );
}
