/** Joins class names, skipping empty ones (GOV.UK's `classes` params). */
export function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(" ");
}

/** Space-separated id list for aria-describedby, or undefined when empty so no attribute renders. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  return cx(...ids) || undefined;
}

export type HeadingSize = "xl" | "l" | "m" | "s";
