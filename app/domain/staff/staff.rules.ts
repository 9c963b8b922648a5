import type { StaffRole } from "../../../db/schema/people";

/**
 * What each back-office role may do (issue 5). Every route and action asks `can(role, permission)`
 * on the server; the table is the one place to read or change it.
 */
export const permissions = {
  // Personal data is shown only to those who need it (domain.md Part A §10): caseworkers.
  "cases.view": ["caseworker"],
  "cases.claim": ["caseworker"],
  "cases.note": ["caseworker"],
  "cases.decide": ["caseworker"],
  "documents.view": ["caseworker"],
  // Window counts hold no personal data.
  "windows.view": ["caseworker", "admin"],
  "windows.manage": ["admin"],
  "staff.manage": ["admin"],
  // Registering an NGO and inviting its coordinator.
  "organisations.manage": ["admin"],
  "audit.view": ["auditor"],
  "audit.export": ["auditor"],
  "centres.view": ["admin", "centre_officer"],
  "centres.manage": ["admin", "centre_officer"],
  "appointments.record": ["centre_officer"],
  // The returns register holds returned people's identities: those who keep it, and admins.
  "returns.manage": ["matching_officer", "admin"],
  "matching.view": ["matching_officer", "admin"],
  "matching.run": ["matching_officer"],
  "travel.record": ["matching_officer"],
  // The parity dashboard is counts only.
  "parity.view": ["matching_officer", "admin", "auditor"],
  "parity.manage": ["admin"],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Permission = keyof typeof permissions;

export function can(role: StaffRole, permission: Permission): boolean {
  return (permissions[permission] as readonly StaffRole[]).includes(role);
}

/** Where a member of staff changes their password (first of all, when an administrator chose it). */
export const STAFF_PASSWORD_PATH = "/staff/profile/password";

/** Staff sessions end after 20 minutes without activity. */
export const STAFF_IDLE_MINUTES = 20;

/** The back office's sections, in menu order, each shown only to roles with its permission. */
const sections = [
  { id: "cases", path: "/staff/cases", permission: "cases.view" },
  { id: "windows", path: "/staff/windows", permission: "windows.view" },
  { id: "centres", path: "/staff/centres", permission: "centres.view" },
  { id: "returns", path: "/staff/returns", permission: "returns.manage" },
  { id: "matching", path: "/staff/matching", permission: "matching.view" },
  { id: "parity", path: "/staff/parity", permission: "parity.view" },
  { id: "accounts", path: "/staff/accounts", permission: "staff.manage" },
  { id: "organisations", path: "/staff/organisations", permission: "organisations.manage" },
  { id: "audit", path: "/staff/audit", permission: "audit.view" },
] as const satisfies readonly { id: string; path: string; permission: Permission }[];

export const staffSections = (role: StaffRole) =>
  sections.filter((s) => can(role, s.permission)).map(({ id, path }) => ({ id, path }));
