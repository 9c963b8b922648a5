import { forwardRef, type InputHTMLAttributes, type ReactNode } from "react";
import { LabelledField, type LabelledFieldProps } from "./labelled-field";
import { cx } from "./utils";

export type InputWidth = 2 | 3 | 4 | 5 | 10 | 20 | 30 | "full";

export type InputProps = LabelledFieldProps &
  Omit<InputHTMLAttributes<HTMLInputElement>, "prefix"> & {
    width?: InputWidth;
    prefix?: ReactNode;
    suffix?: ReactNode;
  };

/** Typed values that are always left-to-right, even on an Arabic page (see Ltr). */
const ltrTypes = new Set(["email", "tel", "url"]);

/**
 * GOV.UK text input. Extra props go to the <input>, and the ref is forwarded, so
 * `<Input label={…} error={…} {...register("givenName")} defaultValue={v} />` works.
 */
export const Input = forwardRef<HTMLInputElement, InputProps>(function Input(
  {
    name,
    id = name,
    label,
    labelSize,
    isPageHeading,
    optional,
    hint,
    error,
    width,
    prefix,
    suffix,
    className,
    formGroupClassName,
    type = "text",
    dir,
    "aria-describedby": extraDescribedBy,
    ...rest
  },
  ref,
) {
  const textDir = dir ?? (ltrTypes.has(type) ? "ltr" : undefined);
  const input = (describedBy: string | undefined, invalid: true | undefined) => (
    <input
      ref={ref}
      className={cx(
        "govuk-input",
        width && `govuk-input--width-${width}`,
        error && "govuk-input--error",
        className,
      )}
      id={id}
      name={name}
      type={type}
      dir={textDir}
      aria-describedby={describedBy}
      aria-invalid={invalid}
      {...rest}
    />
  );
  return (
    <LabelledField
      {...{ id, label, labelSize, isPageHeading, optional, hint, error, formGroupClassName }}
      extraDescribedBy={extraDescribedBy}
    >
      {(control) =>
        prefix || suffix ? (
          // A "+33" prefix belongs with the number: the pair keeps the input's direction.
          <div className="govuk-input__wrapper" dir={textDir}>
            {prefix && (
              <div className="govuk-input__prefix" aria-hidden="true">
                {prefix}
              </div>
            )}
            {input(control.describedBy, control.invalid)}
            {suffix && (
              <div className="govuk-input__suffix" aria-hidden="true">
                {suffix}
              </div>
            )}
          </div>
        ) : (
          input(control.describedBy, control.invalid)
        )
      }
    </LabelledField>
  );
});
