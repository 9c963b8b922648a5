import type { ReactNode } from "react";
import { useTranslation } from "~/i18n/react";
import { cx, type HeadingSize } from "./utils";

export interface LabelOptions {
  /** Wraps the label in an <h1> (one question per page); defaults the size to "l". */
  isPageHeading?: boolean;
  size?: HeadingSize;
  /** Appends "(optional)" from the locale files. */
  optional?: boolean;
}

export function Label({
  htmlFor,
  className,
  isPageHeading,
  size,
  optional,
  children,
}: LabelOptions & { htmlFor: string; className?: string; children: ReactNode }) {
  const { t } = useTranslation("common");
  const s = size ?? (isPageHeading ? "l" : undefined);
  const label = (
    <label className={cx("govuk-label", s && `govuk-label--${s}`, className)} htmlFor={htmlFor}>
      {children}
      {optional && ` ${t("components.optional")}`}
    </label>
  );
  return isPageHeading ? <h1 className="govuk-label-wrapper">{label}</h1> : label;
}
