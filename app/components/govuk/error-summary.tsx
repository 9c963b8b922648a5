import { type MouseEvent, type ReactNode, useEffect, useRef } from "react";
import { useTranslation } from "~/i18n/react";

export interface ErrorSummaryItem {
  /** `#fieldId`: the id of the input (the first one of a radio group or a date input's day). */
  href: string;
  text: string;
}

export interface ErrorSummaryProps {
  errors: ErrorSummaryItem[];
  /** Defaults to "There is a problem". */
  title?: ReactNode;
  description?: ReactNode;
  /** Changes with each server answer (e.g. the action data), so the same errors twice still refocus. */
  focusKey?: unknown;
}

/**
 * GOV.UK error summary: at the top of the page, focused when it appears and whenever the list
 * changes (unless focus is in a form field), each link moving focus to its field. The links are
 * plain fragments, so they work without JavaScript; with it, the field is focused and its label
 * or legend scrolled into view (GOV.UK's error-summary.mjs).
 */
export function ErrorSummary({ errors, title, description, focusKey }: ErrorSummaryProps) {
  const { t } = useTranslation("common");
  const ref = useRef<HTMLDivElement>(null);
  const signature = errors.map((e) => `${e.href}\u0000${e.text}`).join("\u0001");

  // Focus on mount and whenever the list changes (a new submission), as GOV.UK does on page load,
  // but never pull focus out of a field someone is typing in or tabbing through: with live
  // validation the list also changes on blur and on input.
  // biome-ignore lint/correctness/useExhaustiveDependencies: focusKey only marks a new answer
  useEffect(() => {
    if (signature && !document.activeElement?.matches("input, select, textarea")) ref.current?.focus();
  }, [signature, focusKey]);

  if (errors.length === 0) return null;

  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const link = (e.target as Element).closest("a");
    const href = link?.getAttribute("href");
    if (!href?.startsWith("#")) return;
    const input = document.getElementById(decodeURIComponent(href.slice(1)));
    if (!input) return;
    e.preventDefault();
    const legend = input.closest("fieldset")?.querySelector("legend");
    const label = document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
    // A legend is only worth scrolling to when it is still near the input (GOV.UK: within a screen).
    const target =
      legend &&
      legend.getBoundingClientRect().top - input.getBoundingClientRect().top < window.innerHeight / 2
        ? legend
        : (label ?? input);
    target.scrollIntoView();
    input.focus({ preventScroll: true });
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: delegated click for the links inside
    // biome-ignore lint/a11y/useKeyWithClickEvents: links are activated by keyboard as clicks
    <div
      className="govuk-error-summary"
      data-module="govuk-error-summary"
      tabIndex={-1}
      ref={ref}
      onClick={onClick}
    >
      <div role="alert">
        <h2 className="govuk-error-summary__title">{title ?? t("errors.summaryTitle")}</h2>
        <div className="govuk-error-summary__body">
          {description && <p>{description}</p>}
          <ul className="govuk-list govuk-error-summary__list">
            {errors.map((error) => (
              <li key={`${error.href}-${error.text}`}>
                <a href={error.href}>{error.text}</a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
