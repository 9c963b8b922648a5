import { forwardRef, type SelectHTMLAttributes } from "react";
import { LabelledField, type LabelledFieldProps } from "./labelled-field";
import { cx } from "./utils";

export interface SelectOption {
  value: string;
  text: string;
  disabled?: boolean;
}

export type SelectProps = LabelledFieldProps &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, "children"> & { options: SelectOption[] };

/** GOV.UK select; extra props and the ref go to the <select>. */
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
    formGroupClassName,
    className,
    options,
    "aria-describedby": extra,
    ...rest
  },
  ref,
) {
  return (
    <LabelledField
      {...{ id, label, labelSize, isPageHeading, optional, hint, error, formGroupClassName }}
      extraDescribedBy={extra}
    >
      {(control) => (
        <select
          ref={ref}
          className={cx("govuk-select", error && "govuk-select--error", className)}
          id={id}
          name={name}
          aria-describedby={control.describedBy}
          aria-invalid={control.invalid}
          {...rest}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value} disabled={o.disabled}>
              {o.text}
            </option>
          ))}
        </select>
      )}
    </LabelledField>
  );
});
