import type { StaffRole } from "../../../db/schema/people";

/**
 * What each back-office role may do (issue 5). Every route and action asks `can(role, permission)`
 * on the server; the table is the one place to read or change it.
 */
export const permissions = {
  "cases.view": ["caseworker", "admin"],
  "cases.decide": ["caseworker"],
  "documents.view": ["caseworker"],
  "windows.manage": ["admin"],
  "staff.manage": ["admin"],
  "centres.manage": ["admin", "centre_officer"],
  "appointments.record": ["centre_officer"],
  "returns.manage": ["matching_officer", "admin"],
  "matching.run": ["matching_officer"],
  "audit.view": ["auditor"],
} as const satisfies Record<string, readonly StaffRole[]>;

export type Permission = keyof typeof permissions;

export function can(role: StaffRole, permission: Permission): boolean {
  return (permissions[permission] as readonly StaffRole[]).includes(role);
}

/** Five wrong passwords in a row lock the account for 15 minutes. */
export const MAX_FAILED_SIGN_INS = 5;
export const LOCKOUT_MINUTES = 15;
/** Staff sessions end after 20 minutes without activity. */
export const STAFF_IDLE_MINUTES = 20;
