import { forwardRef, type ReactNode, type TextareaHTMLAttributes } from "react";
import { ErrorMessage } from "./error-message";
import { Hint } from "./hint";
import { Label, type LabelOptions } from "./label";
import { cx, describedBy } from "./utils";

export interface TextareaProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  name: string;
  /** Defaults to `name`. */
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

/** GOV.UK textarea; extra props and the ref go to the <textarea> (react-hook-form's register). */
export const Textarea = forwardRef<HTMLTextAreaElement, TextareaProps>(function Textarea(
  {
    name,
    id = name,
    label,
    labelSize,
    isPageHeading,
    optional,
    hint,
    error,
    className,
    formGroupClassName,
    rows = 5,
    "aria-describedby": extraDescribedBy,
    ...rest
  },
  ref,
) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={cx("govuk-form-group", error && "govuk-form-group--error", formGroupClassName)}>
      <Label htmlFor={id} isPageHeading={isPageHeading} size={labelSize} optional={optional}>
        {label}
      </Label>
      {hint && <Hint id={hintId}>{hint}</Hint>}
      {error && errorId && <ErrorMessage id={errorId}>{error}</ErrorMessage>}
      <textarea
        ref={ref}
        className={cx("govuk-textarea", error && "govuk-textarea--error", className)}
        id={id}
        name={name}
        rows={rows}
        aria-describedby={describedBy(extraDescribedBy, hintId, errorId)}
        aria-invalid={error ? true : undefined}
        {...rest}
      />
    </div>
  );
});
