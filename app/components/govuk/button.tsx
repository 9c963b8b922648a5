import { Link } from "@remix-run/react";
import {
  type ButtonHTMLAttributes,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  useRef,
} from "react";
import { cx } from "./utils";

export type ButtonVariant = "primary" | "secondary" | "warning" | "inverse";

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  /** The "Start now" button with its arrow (mirrored on right-to-left pages by the stylesheet). */
  isStartButton?: boolean;
  /** Ignores a second click within a second, so a double-clicked submit is sent once. */
  preventDoubleClick?: boolean;
  /** Renders a link styled as a button (GOV.UK: role="button", navigates on space too). */
  href?: string;
  children: ReactNode;
}

const DEBOUNCE_MS = 1000;

export function Button({
  variant = "primary",
  isStartButton,
  preventDoubleClick,
  href,
  className,
  type = "submit",
  onClick,
  children,
  ...rest
}: ButtonProps) {
  const lastClick = useRef(0);
  const classes = cx(
    "govuk-button",
    variant !== "primary" && `govuk-button--${variant}`,
    isStartButton && "govuk-button--start",
    className,
  );
  const content = (
    <>
      {children}
      {isStartButton && (
        <svg
          className="govuk-button__start-icon"
          xmlns="http://www.w3.org/2000/svg"
          width="17.5"
          height="19"
          viewBox="0 0 33 40"
          aria-hidden="true"
          focusable="false"
        >
          <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
        </svg>
      )}
    </>
  );

  if (href) {
    return (
      <Link
        to={href}
        role="button"
        draggable="false"
        className={classes}
        data-module="govuk-button"
        onKeyDown={(e: KeyboardEvent<HTMLAnchorElement>) => {
          if (e.key === " ") {
            e.preventDefault();
            e.currentTarget.click();
          }
        }}
      >
        {content}
      </Link>
    );
  }

  const handleClick = (e: MouseEvent<HTMLButtonElement>) => {
    if (preventDoubleClick) {
      const now = Date.now();
      if (now - lastClick.current < DEBOUNCE_MS) {
        e.preventDefault();
        return;
      }
      lastClick.current = now;
    }
    onClick?.(e);
  };

  return (
    <button
      type={type}
      className={classes}
      data-module="govuk-button"
      data-prevent-double-click={preventDoubleClick ? "true" : undefined}
      onClick={handleClick}
      {...rest}
    >
      {content}
    </button>
  );
}

/** Lines up a button and a secondary link or button (GOV.UK button group). */
export function ButtonGroup({ children }: { children: ReactNode }) {
  return <div className="govuk-button-group">{children}</div>;
}
