import { forwardRef, type InputHTMLAttributes, type ReactNode } from "react";
import { ErrorMessage } from "./error-message";
import { Hint } from "./hint";
import { Label, type LabelOptions } from "./label";
import { cx, describedBy } from "./utils";

export type InputWidth = 2 | 3 | 4 | 5 | 10 | 20 | 30 | "full";

export interface InputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "prefix"> {
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
  width?: InputWidth;
  prefix?: ReactNode;
  suffix?: ReactNode;
  formGroupClassName?: string;
}

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
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const textDir = dir ?? (ltrTypes.has(type) ? "ltr" : undefined);
  const input = (
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
      aria-describedby={describedBy(extraDescribedBy, hintId, errorId)}
      aria-invalid={error ? true : undefined}
      {...rest}
    />
  );
  return (
    <div className={cx("govuk-form-group", error && "govuk-form-group--error", formGroupClassName)}>
      <Label htmlFor={id} isPageHeading={isPageHeading} size={labelSize} optional={optional}>
        {label}
      </Label>
      {hint && <Hint id={hintId}>{hint}</Hint>}
      {error && errorId && <ErrorMessage id={errorId}>{error}</ErrorMessage>}
      {prefix || suffix ? (
        // A "+33" prefix belongs with the number: the pair keeps the input's direction.
        <div className="govuk-input__wrapper" dir={textDir}>
          {prefix && (
            <div className="govuk-input__prefix" aria-hidden="true">
              {prefix}
            </div>
          )}
          {input}
          {suffix && (
            <div className="govuk-input__suffix" aria-hidden="true">
              {suffix}
            </div>
          )}
        </div>
      ) : (
        input
      )}
    </div>
  );
});
