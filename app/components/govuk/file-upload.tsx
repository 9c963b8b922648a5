import { forwardRef, type InputHTMLAttributes } from "react";
import { LabelledField, type LabelledFieldProps } from "./labelled-field";
import { cx } from "./utils";

export type FileUploadProps = LabelledFieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "type">;

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
    formGroupClassName,
    className,
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
        <input
          ref={ref}
          className={cx("govuk-file-upload", error && "govuk-file-upload--error", className)}
          id={id}
          name={name}
          type="file"
          aria-describedby={control.describedBy}
          aria-invalid={control.invalid}
          {...rest}
        />
      )}
    </LabelledField>
  );
});
