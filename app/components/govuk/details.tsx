import type { ReactNode } from "react";

export interface DetailsProps {
  summary: ReactNode;
  children: ReactNode;
  open?: boolean;
  id?: string;
}

/** GOV.UK details: the native <details>, so it works without JavaScript. */
export function Details({ summary, children, open, id }: DetailsProps) {
  return (
    <details className="govuk-details" open={open} id={id}>
      <summary className="govuk-details__summary">
        <span className="govuk-details__summary-text">{summary}</span>
      </summary>
      <div className="govuk-details__text">{children}</div>
    </details>
  );
}
