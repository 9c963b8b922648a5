import type { ReactNode } from "react";

/**
 * Isolates left-to-right data (names, emails, phone numbers, reference numbers) inside text that
 * may be Arabic, so the bidi algorithm cannot reorder "+33 6 12 34 56 78" or "ABC-123".
 */
export function Ltr({ children }: { children: ReactNode }) {
  return <bdi dir="ltr">{children}</bdi>;
}
