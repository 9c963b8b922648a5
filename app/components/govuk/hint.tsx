import type { ReactNode } from "react";
import { cx } from "./utils";

export function Hint({ id, className, children }: { id?: string; className?: string; children: ReactNode }) {
  return (
    <div id={id} className={cx("govuk-hint", className)}>
      {children}
    </div>
  );
}
