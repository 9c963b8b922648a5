import { forwardRef, type TextareaHTMLAttributes } from "react";
import { LabelledField, type LabelledFieldProps } from "./labelled-field";
import { cx } from "./utils";

export type TextareaProps = LabelledFieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>;

/** GOV.UK textarea; extra props and the ref go to the <textarea>. */
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
    formGroupClassName,
    className,
    rows = 5,
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
        <textarea
          ref={ref}
          className={cx("govuk-textarea", error && "govuk-textarea--error", className)}
          id={id}
          name={name}
          rows={rows}
          aria-describedby={control.describedBy}
          aria-invalid={control.invalid}
          {...rest}
        />
      )}
    </LabelledField>
  );
});
