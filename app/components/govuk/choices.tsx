import {
  type ForwardedRef,
  type InputHTMLAttributes,
  type MouseEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useRef,
  useState,
} from "react";
import { useTranslation } from "~/i18n/react";
import { ErrorMessage } from "./error-message";
import { Fieldset, type LegendOptions } from "./fieldset";
import { Hint } from "./hint";
import { cx, describedBy } from "./utils";

export interface ChoiceItem {
  value: string;
  label: ReactNode;
  hint?: ReactNode;
  /** Shown under the item while it is checked (GOV.UK conditional reveal). */
  conditional?: ReactNode;
  /** Defaults to `${id}` for the first item and `${id}-${n}` for the n-th (dividers count). */
  id?: string;
  disabled?: boolean;
}

/** `{ divider: true }` prints the translated "or"; a string prints itself. */
export interface ChoiceDivider {
  divider: true | string;
}

type InputRest = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "type" | "value" | "defaultValue" | "defaultChecked" | "checked" | "id" | "children" | "className"
>;

export interface ChoicesBaseProps extends LegendOptions, InputRest {
  name: string;
  /** Id of the first input (the error summary links to `#id`) and prefix of the others. Defaults to `name`. */
  id?: string;
  hint?: ReactNode;
  /** Already-translated error text. */
  error?: string;
  small?: boolean;
  className?: string;
  formGroupClassName?: string;
}

interface ChoicesProps extends ChoicesBaseProps {
  kind: "radios" | "checkboxes";
  items: (ChoiceItem | ChoiceDivider)[];
  checkedValues: string[];
  /** Checkbox values whose ticking unticks all the others ("None of these"). */
  exclusiveValues?: string[];
  inline?: boolean;
  forwardedRef: ForwardedRef<HTMLInputElement>;
}

const isDivider = (item: ChoiceItem | ChoiceDivider): item is ChoiceDivider => "divider" in item;

/**
 * Shared body of Radios and Checkboxes, with GOV.UK's markup. The rest props (name, onChange,
 * onBlur, ref: what react-hook-form's `register(name)` returns) are spread onto every input of the
 * group, which is how react-hook-form expects a radio or checkbox group to be registered.
 *
 * Conditional reveals work without JavaScript: the stylesheet hides an unchecked item's
 * conditional with :has(), and older browsers show them all (GOV.UK's no-JS behaviour). Once
 * hydrated, the component adds aria-controls and the --hidden class itself (no aria-expanded: ARIA does
 * not allow it on radios and checkboxes, and GOV.UK Frontend dropped it for that reason).
 */
export function Choices({
  kind,
  name,
  id = name,
  items,
  checkedValues,
  exclusiveValues = [],
  legend,
  isPageHeading,
  legendSize,
  optional,
  hint,
  error,
  inline,
  small,
  className,
  formGroupClassName,
  forwardedRef,
  ...rest
}: ChoicesProps) {
  const { t } = useTranslation("common");
  const container = useRef<HTMLDivElement>(null);
  // null until hydrated: the server and the first client render must produce the same markup.
  const [checked, setChecked] = useState<Set<string> | null>(null);
  const sync = useCallback(() => {
    const inputs = container.current?.querySelectorAll<HTMLInputElement>(":scope > div > input") ?? [];
    setChecked(new Set([...inputs].filter((i) => i.checked).map((i) => i.id)));
  }, []);
  useEffect(() => {
    sync();
    // Browsers restore checked states when coming back through the history.
    window.addEventListener("pageshow", sync);
    return () => window.removeEventListener("pageshow", sync);
  }, [sync]);

  // GOV.UK's exclusive checkbox. Runs in the capture phase, before react-hook-form's onChange reads
  // the group, so its value already reflects the boxes unticked here.
  const onClickCapture = (e: MouseEvent<HTMLDivElement>) => {
    const target = e.target as HTMLInputElement;
    if (kind !== "checkboxes" || target.type !== "checkbox" || !target.checked) return;
    const exclusive = target.dataset.behaviour === "exclusive";
    for (const box of container.current?.querySelectorAll<HTMLInputElement>(":scope > div > input") ?? []) {
      if (box !== target && (exclusive || box.dataset.behaviour === "exclusive")) box.checked = false;
    }
  };

  const prefix = kind === "radios" ? "govuk-radios" : "govuk-checkboxes";
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
      >
        {hint && <Hint id={hintId}>{hint}</Hint>}
        {error && errorId && <ErrorMessage id={errorId}>{error}</ErrorMessage>}
        <div
          ref={container}
          className={cx(prefix, inline && `${prefix}--inline`, small && `${prefix}--small`, className)}
          data-module={prefix}
          onChange={(e) => {
            const type = (e.target as HTMLInputElement).type;
            if (type === "radio" || type === "checkbox") sync();
          }}
          onClickCapture={onClickCapture}
        >
          {items.map((item, i) => {
            if (isDivider(item)) {
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: dividers have nothing else to key on
                <div key={`divider-${i}`} className={`${prefix}__divider`}>
                  {item.divider === true ? t("components.or") : item.divider}
                </div>
              );
            }
            const itemId = item.id ?? (i === 0 ? id : `${id}-${i + 1}`);
            const itemHintId = item.hint ? `${itemId}-item-hint` : undefined;
            const conditionalId = item.conditional ? `conditional-${itemId}` : undefined;
            const isChecked = checked ? checked.has(itemId) : checkedValues.includes(item.value);
            return [
              <div key={itemId} className={`${prefix}__item`}>
                <input
                  className={`${prefix}__input`}
                  id={itemId}
                  name={name}
                  type={kind === "radios" ? "radio" : "checkbox"}
                  value={item.value}
                  defaultChecked={checkedValues.includes(item.value)}
                  disabled={item.disabled}
                  data-behaviour={exclusiveValues.includes(item.value) ? "exclusive" : undefined}
                  data-aria-controls={checked ? undefined : conditionalId}
                  aria-controls={checked ? conditionalId : undefined}
                  aria-describedby={itemHintId}
                  {...rest}
                  ref={forwardedRef}
                />
                <label className={cx("govuk-label", `${prefix}__label`)} htmlFor={itemId}>
                  {item.label}
                </label>
                {item.hint && (
                  <Hint id={itemHintId} className={`${prefix}__hint`}>
                    {item.hint}
                  </Hint>
                )}
              </div>,
              item.conditional && (
                <div
                  key={conditionalId}
                  className={cx(
                    `${prefix}__conditional`,
                    checked && !isChecked && `${prefix}__conditional--hidden`,
                  )}
                  id={conditionalId}
                >
                  {item.conditional}
                </div>
              ),
            ];
          })}
        </div>
      </Fieldset>
    </div>
  );
}
