import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "~/i18n/react";
import { cx } from "./utils";

export interface SummaryListAction {
  href: string;
  /** Defaults to "Change". */
  text?: ReactNode;
  /** Read after the link text by screen readers: "Change<hidden> date of birth</hidden>". */
  visuallyHiddenText: string;
}

export interface SummaryListRow {
  key: ReactNode;
  value: ReactNode;
  actions?: SummaryListAction[];
}

export interface SummaryListProps {
  rows: SummaryListRow[];
  noBorder?: boolean;
  className?: string;
}

/** GOV.UK summary list (check your answers): rows stack on narrow screens. */
export function SummaryList({ rows, noBorder, className }: SummaryListProps) {
  const anyActions = rows.some((row) => row.actions?.length);
  return (
    <dl className={cx("govuk-summary-list", noBorder && "govuk-summary-list--no-border", className)}>
      {rows.map((row, i) => {
        const actions = row.actions ?? [];
        return (
          <div
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are a fixed, ordered list
            key={i}
            className={cx(
              "govuk-summary-list__row",
              anyActions && actions.length === 0 && "govuk-summary-list__row--no-actions",
            )}
          >
            <dt className="govuk-summary-list__key">{row.key}</dt>
            <dd className="govuk-summary-list__value">{row.value}</dd>
            {actions.length === 1 && actions[0] && (
              <dd className="govuk-summary-list__actions">
                <ActionLink action={actions[0]} />
              </dd>
            )}
            {actions.length > 1 && (
              <dd className="govuk-summary-list__actions">
                <ul className="govuk-summary-list__actions-list">
                  {actions.map((action) => (
                    <li key={action.href} className="govuk-summary-list__actions-list-item">
                      <ActionLink action={action} />
                    </li>
                  ))}
                </ul>
              </dd>
            )}
          </div>
        );
      })}
    </dl>
  );
}

function ActionLink({ action }: { action: SummaryListAction }) {
  const { t } = useTranslation("common");
  return (
    <Link className="govuk-link" to={action.href}>
      {action.text ?? t("components.change")}
      <span className="govuk-visually-hidden"> {action.visuallyHiddenText}</span>
    </Link>
  );
}
