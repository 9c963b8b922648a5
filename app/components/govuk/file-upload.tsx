import { forwardRef, type InputHTMLAttributes, type ReactNode } from "react";
import { ErrorMessage } from "./error-message";
import { Hint } from "./hint";
import { Label, type LabelOptions } from "./label";
import { cx, describedBy } from "./utils";

export interface FileUploadProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "type"> {
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

/**
 * GOV.UK file upload (the plain, no-JavaScript version). The form needs
 * `encType="multipart/form-data"`. Extra props and the ref go to the <input type="file">.
 */
export const FileUpload = forwardRef<HTMLInputElement, FileUploadProps>(function FileUpload(
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
      <input
        ref={ref}
        className={cx("govuk-file-upload", error && "govuk-file-upload--error", className)}
        id={id}
        name={name}
        type="file"
        aria-describedby={describedBy(extraDescribedBy, hintId, errorId)}
        aria-invalid={error ? true : undefined}
        {...rest}
      />
    </div>
  );
});
