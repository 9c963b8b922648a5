import type { AriaRole, ReactNode } from "react";
import { useTranslation } from "~/i18n/react";
import { cx, type HeadingSize } from "./utils";

export interface LegendOptions {
  legend?: ReactNode;
  /** Wraps the legend text in an <h1> (one question per page); defaults the size to "l". */
  isPageHeading?: boolean;
  legendSize?: HeadingSize;
  /** Appends "(optional)" from the locale files. */
  optional?: boolean;
}

export interface FieldsetProps extends LegendOptions {
  describedBy?: string;
  role?: AriaRole;
  className?: string;
  children: ReactNode;
}

export function Fieldset({
  legend,
  isPageHeading,
  legendSize,
  optional,
  describedBy,
  role,
  className,
  children,
}: FieldsetProps) {
  const { t } = useTranslation("common");
  const size = legendSize ?? (isPageHeading ? "l" : undefined);
  const text = (
    <>
      {legend}
      {optional && ` ${t("components.optional")}`}
    </>
  );
  return (
    <fieldset className={cx("govuk-fieldset", className)} aria-describedby={describedBy} role={role}>
      {legend != null && (
        <legend className={cx("govuk-fieldset__legend", size && `govuk-fieldset__legend--${size}`)}>
          {isPageHeading ? <h1 className="govuk-fieldset__heading">{text}</h1> : text}
        </legend>
      )}
      {children}
    </fieldset>
  );
}
