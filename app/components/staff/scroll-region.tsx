import type { ReactNode } from "react";

/**
 * A wide table that scrolls sideways on small screens. Keyboard users must be able to scroll it
 * too, so the region takes focus and is named (WCAG 2.1.1, axe scrollable-region-focusable).
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable
    <section className="app-table-scroll" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
