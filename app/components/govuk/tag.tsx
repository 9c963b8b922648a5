import type { ReactNode } from "react";
import { cx } from "./utils";

export type TagColour =
  | "grey"
  | "blue"
  | "light-blue"
  | "green"
  | "red"
  | "yellow"
  | "orange"
  | "purple"
  | "pink"
  | "turquoise";

export function Tag({
  colour,
  className,
  children,
}: {
  colour?: TagColour;
  className?: string;
  children: ReactNode;
}) {
  return <strong className={cx("govuk-tag", colour && `govuk-tag--${colour}`, className)}>{children}</strong>;
}
