import { forwardRef, type ReactNode, type SelectHTMLAttributes } from "react";
import { ErrorMessage } from "./error-message";
import { Hint } from "./hint";
import { Label, type LabelOptions } from "./label";
import { cx, describedBy } from "./utils";

export interface SelectOption {
  value: string;
  text: string;
  disabled?: boolean;
}

export interface SelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, "children"> {
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
  options: SelectOption[];
  formGroupClassName?: string;
}

/** GOV.UK select; extra props and the ref go to the <select> (react-hook-form's register). */
export const Select = forwardRef<HTMLSelectElement, SelectProps>(function Select(
  {
    name,
    id = name,
    label,
    labelSize,
    isPageHeading,
    optional,
    hint,
    error,
    options,
    className,
    formGroupClassName,
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
      <select
        ref={ref}
        className={cx("govuk-select", error && "govuk-select--error", className)}
        id={id}
        name={name}
        aria-describedby={describedBy(extraDescribedBy, hintId, errorId)}
        aria-invalid={error ? true : undefined}
        {...rest}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.text}
          </option>
        ))}
      </select>
    </div>
  );
});
