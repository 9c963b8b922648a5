import { type ReactNode, useEffect, useRef } from "react";
import { useTranslation } from "~/i18n/react";
import { cx } from "./utils";

export interface NotificationBannerProps {
  /** "success" after the user did something (role="alert", focused when shown). */
  type?: "success";
  /** Defaults to "Important" or "Success". */
  title?: ReactNode;
  titleId?: string;
  /** A short message in the banner's heading style; longer content goes in children. */
  heading?: ReactNode;
  children?: ReactNode;
  /** Success banners take focus when they appear, unless this is set. */
  disableAutoFocus?: boolean;
}

export function NotificationBanner({
  type,
  title,
  titleId = "govuk-notification-banner-title",
  heading,
  children,
  disableAutoFocus,
}: NotificationBannerProps) {
  const { t } = useTranslation("common");
  const ref = useRef<HTMLDivElement>(null);
  const success = type === "success";
  const autoFocus = success && !disableAutoFocus;
  useEffect(() => {
    if (autoFocus) ref.current?.focus();
  }, [autoFocus]);
  return (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: the role is region or alert, both named by aria-labelledby
    <div
      ref={ref}
      className={cx("govuk-notification-banner", success && "govuk-notification-banner--success")}
      role={success ? "alert" : "region"}
      aria-labelledby={titleId}
      data-module="govuk-notification-banner"
      tabIndex={autoFocus ? -1 : undefined}
    >
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id={titleId}>
          {title ??
            t(success ? "components.notificationBanner.success" : "components.notificationBanner.important")}
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        {heading && <p className="govuk-notification-banner__heading">{heading}</p>}
        {children}
      </div>
    </div>
  );
}
