import type { InputHTMLAttributes, ReactNode, Ref } from "react";
import { useTranslation } from "~/i18n/react";
import { ErrorMessage } from "./error-message";
import { Fieldset, type LegendOptions } from "./fieldset";
import { Hint } from "./hint";
import { cx, describedBy } from "./utils";

export type DatePart = "day" | "month" | "year";
const parts: DatePart[] = ["day", "month", "year"];

export type DatePartProps = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "type" | "defaultValue"> & {
  ref?: Ref<HTMLInputElement>;
};

export interface DateInputProps extends LegendOptions {
  /** Inputs are named and identified `${name}-day`, `${name}-month`, `${name}-year`. */
  name: string;
  /** Prefix of the input ids and id of the wrapper; defaults to `name`. */
  id?: string;
  hint?: ReactNode;
  /** Already-translated error text. */
  error?: string;
  /** Parts to highlight; all three when there is an error and this is not given. */
  errorParts?: DatePart[];
  defaultValue?: Partial<Record<DatePart, string>>;
  /** e.g. "bday" gives autocomplete="bday-day", "bday-month", "bday-year". */
  autoComplete?: string;
  /**
   * Extra props per input, e.g. react-hook-form: `inputProps={(part) => register(\`dateOfBirth-${part}\`)}`
   * (the returned name must be `${name}-${part}`, which is what the form posts).
   */
  inputProps?: (part: DatePart) => DatePartProps;
  className?: string;
  formGroupClassName?: string;
}

/** GOV.UK date input: three text inputs in a fieldset with role="group". */
export function DateInput({
  name,
  id = name,
  legend,
  isPageHeading,
  legendSize,
  optional,
  hint,
  error,
  errorParts,
  defaultValue,
  autoComplete,
  inputProps,
  className,
  formGroupClassName,
}: DateInputProps) {
  const { t } = useTranslation("common");
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={cx("govuk-form-group", error && "govuk-form-group--error", formGroupClassName)}>
      <Fieldset
        legend={legend}
        isPageHeading={isPageHeading}
        legendSize={legendSize}
        optional={optional}
        describedBy={describedBy(hintId, errorId)}
        role="group"
      >
        {hint && <Hint id={hintId}>{hint}</Hint>}
        {error && errorId && <ErrorMessage id={errorId}>{error}</ErrorMessage>}
        <div className={cx("govuk-date-input", className)} id={id}>
          {parts.map((part) => {
            const partId = `${id}-${part}`;
            const invalid = !!error && (!errorParts || errorParts.includes(part));
            return (
              <div key={part} className="govuk-date-input__item">
                <div className="govuk-form-group">
                  <label className="govuk-label govuk-date-input__label" htmlFor={partId}>
                    {t(`components.dateInput.${part}`)}
                  </label>
                  <input
                    className={cx(
                      "govuk-input govuk-date-input__input",
                      part === "year" ? "govuk-input--width-4" : "govuk-input--width-2",
                      invalid && "govuk-input--error",
                    )}
                    id={partId}
                    name={`${name}-${part}`}
                    type="text"
                    inputMode="numeric"
                    autoComplete={autoComplete ? `${autoComplete}-${part}` : undefined}
                    defaultValue={defaultValue?.[part]}
                    aria-invalid={invalid ? true : undefined}
                    {...inputProps?.(part)}
                  />
                </div>
              </div>
            );
          })}
        </div>
      </Fieldset>
    </div>
  );
}
