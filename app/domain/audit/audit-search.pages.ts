import { isValidReference, normaliseReference } from "../eoi/reference";
import type { Field, PageRule } from "../forms/fields";

/**
 * The audit log's filter form, declared as fields like every other form (validated on the server
 * by audit-search.server.ts). The filters that name nobody go in the URL, so a search can be
 * bookmarked and shared; those that name a person stay out of it (personalAuditFilters).
 */
export const auditFilterFields: Field[] = [
  {
    kind: "text",
    name: "caseReference",
    optional: true,
    max: 20,
    spellCheck: false,
    autoComplete: "off",
    width: 10,
    normalise: (v) => normaliseReference(v) ?? v.toUpperCase(),
    check: isValidReference,
  },
  {
    kind: "text",
    name: "staffEmail",
    type: "email",
    optional: true,
    max: 254,
    spellCheck: false,
    autoComplete: "off",
    normalise: (v) => v.toLowerCase(),
    pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  },
  {
    kind: "text",
    name: "action",
    optional: true,
    max: 100,
    spellCheck: false,
    autoComplete: "off",
    normalise: (v) => v.toLowerCase(),
    // "status.selected" exactly, or a prefix ending in a dot or a star: "status." or "staff.sign*".
    pattern: /^[a-z][a-z0-9_]*(\.[a-z0-9_]*)*\*?$/,
  },
  {
    kind: "text",
    name: "subjectType",
    optional: true,
    max: 40,
    spellCheck: false,
    autoComplete: "off",
    width: 20,
    pattern: /^[a-z_]+$/,
  },
  {
    kind: "text",
    name: "subjectId",
    optional: true,
    max: 100,
    spellCheck: false,
    autoComplete: "off",
    pattern: /^[\w-]+$/,
  },
  { kind: "date", name: "from", optional: true },
  { kind: "date", name: "to", optional: true },
];

/**
 * A case reference and a colleague's email name people: never in a URL (ASVS 8.3.1), saved in the
 * auditor's session instead (app/.server/saved-search.server.ts).
 */
export const personalAuditFilters: readonly string[] = ["caseReference", "staffEmail"];

/** "To" is not before "from" (both days included). */
export const auditFilterRule: PageRule = (answers): Record<string, string> =>
  answers.from && answers.to && answers.to < answers.from
    ? { to: "backoffice:fields.to.errors.beforeFrom" }
    : {};

/** Error codes beyond the fields' own (for the locale test). */
export const auditFilterExtraCodes: Record<string, readonly string[]> = {
  caseReference: ["notFound"],
  staffEmail: ["notFound"],
  to: ["beforeFrom"],
};
