import {
  type ChangeEvent,
  forwardRef,
  type ReactNode,
  type TextareaHTMLAttributes,
  useCallback,
  useEffect,
  useRef,
  useState,
} from "react";
import { useTranslation } from "react-i18next";
import { ErrorMessage } from "./error-message";
import { Hint } from "./hint";
import { Label, type LabelOptions } from "./label";
import { cx, describedBy } from "./utils";

export interface CharacterCountProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
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
  /** The limit; not set on the <textarea>, so people can paste and then shorten (GOV.UK). */
  maxLength: number;
  /** Show the count only from this percentage of the limit. */
  threshold?: number;
  formGroupClassName?: string;
}

const SR_DELAY_MS = 1000;

/**
 * GOV.UK character count: a textarea with its limit stated (no JavaScript) and, once hydrated, a
 * live count, announced to screen readers a second after typing stops. Extra props and the ref go
 * to the <textarea>, so react-hook-form's register spreads in as for Textarea.
 */
export const CharacterCount = forwardRef<HTMLTextAreaElement, CharacterCountProps>(function CharacterCount(
  {
    name,
    id = name,
    label,
    labelSize,
    isPageHeading,
    optional,
    hint,
    error,
    maxLength,
    threshold,
    className,
    formGroupClassName,
    rows = 5,
    onChange,
    "aria-describedby": extraDescribedBy,
    ...rest
  },
  ref,
) {
  const { t } = useTranslation("common");
  const inner = useRef<HTMLTextAreaElement | null>(null);
  // null until hydrated, so the server and the first client render agree.
  const [length, setLength] = useState<number | null>(null);
  const [announced, setAnnounced] = useState<number | null>(null);
  const setRefs = useCallback(
    (el: HTMLTextAreaElement | null) => {
      inner.current = el;
      if (typeof ref === "function") ref(el);
      else if (ref) ref.current = el;
    },
    [ref],
  );
  useEffect(() => {
    const n = inner.current?.value.length ?? 0;
    setLength(n);
    setAnnounced(n);
  }, []);
  useEffect(() => {
    if (length === null) return;
    const timer = setTimeout(() => setAnnounced(length), SR_DELAY_MS);
    return () => clearTimeout(timer);
  }, [length]);

  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const infoId = `${id}-info`;
  const over = length !== null && length > maxLength;
  const visible = length !== null && (!threshold || length >= (maxLength * threshold) / 100);
  const message = (n: number) =>
    n > maxLength
      ? t("components.characterCount.overLimit", { count: n - maxLength })
      : t("components.characterCount.underLimit", { count: maxLength - n });

  return (
    <div className={cx("govuk-form-group", error && "govuk-form-group--error", formGroupClassName)}>
      <Label htmlFor={id} isPageHeading={isPageHeading} size={labelSize} optional={optional}>
        {label}
      </Label>
      {hint && <Hint id={hintId}>{hint}</Hint>}
      {error && errorId && <ErrorMessage id={errorId}>{error}</ErrorMessage>}
      <div className="govuk-character-count" data-module="govuk-character-count" data-maxlength={maxLength}>
        <textarea
          ref={setRefs}
          className={cx(
            "govuk-textarea govuk-js-character-count",
            (error || over) && "govuk-textarea--error",
            className,
          )}
          id={id}
          name={name}
          rows={rows}
          aria-describedby={describedBy(infoId, extraDescribedBy, hintId, errorId)}
          aria-invalid={error ? true : undefined}
          onChange={(e: ChangeEvent<HTMLTextAreaElement>) => {
            setLength(e.target.value.length);
            onChange?.(e);
          }}
          {...rest}
        />
        <div
          id={infoId}
          className={cx(
            "govuk-hint govuk-character-count__message",
            length !== null && "govuk-visually-hidden",
          )}
        >
          {t("components.characterCount.limit", { count: maxLength })}
        </div>
        {length !== null && (
          <>
            <div
              className={cx(
                over ? "govuk-error-message" : "govuk-hint",
                "govuk-character-count__message govuk-character-count__status",
                !visible && "govuk-character-count__message--disabled",
              )}
              aria-hidden="true"
            >
              {message(length)}
            </div>
            <div
              className="govuk-character-count__sr-status govuk-visually-hidden"
              aria-live="polite"
              aria-hidden={visible ? undefined : true}
            >
              {announced !== null && message(announced)}
            </div>
          </>
        )}
      </div>
    </div>
  );
});
