import type { ReactNode } from "react";
import { ErrorMessage } from "./error-message";
import { Hint } from "./hint";
import { Label, type LabelOptions } from "./label";
import { cx, describedBy } from "./utils";

/** What every single-control GOV.UK field takes (input, textarea, select, file upload). */
export interface LabelledFieldProps {
  name: string;
  /** Defaults to `name`; the error summary links to `#id`. */
  id?: string;
  label: ReactNode;
  labelSize?: LabelOptions["size"];
  isPageHeading?: boolean;
  optional?: boolean;
  hint?: ReactNode;
  /** Already-translated error text. */
  error?: string;
  formGroupClassName?: string;
}

/**
 * The GOV.UK form group around one control: label, hint, error message, and the error state. The
 * control is rendered by `children`, which receives the ids it must list in aria-describedby.
 */
export function LabelledField({
  id,
  label,
  labelSize,
  isPageHeading,
  optional,
  hint,
  error,
  formGroupClassName,
  extraDescribedBy,
  children,
}: Omit<LabelledFieldProps, "name" | "id"> & {
  id: string;
  extraDescribedBy?: string;
  children: (control: { describedBy: string | undefined; invalid: true | undefined }) => ReactNode;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={cx("govuk-form-group", error && "govuk-form-group--error", formGroupClassName)}>
      <Label htmlFor={id} isPageHeading={isPageHeading} size={labelSize} optional={optional}>
        {label}
      </Label>
      {hint && <Hint id={hintId}>{hint}</Hint>}
      {error && errorId && <ErrorMessage id={errorId}>{error}</ErrorMessage>}
      {children({
        describedBy: describedBy(extraDescribedBy, hintId, errorId),
        invalid: error ? true : undefined,
      })}
    </div>
  );
}
