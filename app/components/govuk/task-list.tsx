import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Tag, type TagColour } from "./tag";
import { cx } from "./utils";

export interface TaskListItem {
  title: ReactNode;
  /** Without it the task cannot be started yet: its title is not a link. */
  href?: string;
  hint?: ReactNode;
  status: {
    text: ReactNode;
    /** Shows the status as a tag ("Incomplete" in blue); plain text otherwise ("Completed"). */
    tag?: TagColour;
    /** Greys the status ("Cannot start yet"). */
    cannotStartYet?: boolean;
  };
}

export interface TaskListProps {
  items: TaskListItem[];
  /** Prefix of the hint and status ids; defaults to "task-list". */
  idPrefix?: string;
}

/** GOV.UK task list (GOV.UK Frontend 5): the whole row is the link's click target. */
export function TaskList({ items, idPrefix = "task-list" }: TaskListProps) {
  return (
    <ul className="govuk-task-list">
      {items.map((item, i) => {
        const hintId = `${idPrefix}-${i + 1}-hint`;
        const statusId = `${idPrefix}-${i + 1}-status`;
        return (
          <li
            key={statusId}
            className={cx("govuk-task-list__item", item.href && "govuk-task-list__item--with-link")}
          >
            <div className="govuk-task-list__name-and-hint">
              {item.href ? (
                <Link
                  className="govuk-link govuk-task-list__link"
                  to={item.href}
                  aria-describedby={cx(item.hint ? hintId : undefined, statusId)}
                >
                  {item.title}
                </Link>
              ) : (
                <div>{item.title}</div>
              )}
              {item.hint && (
                <div id={hintId} className="govuk-task-list__hint">
                  {item.hint}
                </div>
              )}
            </div>
            <div
              className={cx(
                "govuk-task-list__status",
                item.status.cannotStartYet && "govuk-task-list__status--cannot-start-yet",
              )}
              id={statusId}
            >
              {item.status.tag ? <Tag colour={item.status.tag}>{item.status.text}</Tag> : item.status.text}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
