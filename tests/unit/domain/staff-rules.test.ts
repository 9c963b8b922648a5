import { describe, expect, it } from "vitest";
import { staffRoles } from "#db/schema";
import { can, type Permission, permissions } from "~/domain/staff/staff.rules";

describe("back-office permissions", () => {
  it.each([
    ["caseworker", "cases.decide", true],
    ["auditor", "cases.decide", false],
    ["auditor", "audit.view", true],
    ["admin", "audit.view", false],
    ["admin", "staff.manage", true],
    ["caseworker", "staff.manage", false],
    ["centre_officer", "appointments.record", true],
    ["matching_officer", "matching.run", true],
    ["caseworker", "matching.run", false],
  ] as const)("%s may %s: %s", (role, permission, allowed) => {
    expect(can(role, permission)).toBe(allowed);
  });

  it("gives every permission to at least one role, and every role something to do", () => {
    for (const permission of Object.keys(permissions) as Permission[]) {
      expect(
        staffRoles.some((role) => can(role, permission)),
        permission,
      ).toBe(true);
    }
    for (const role of staffRoles) {
      expect(
        (Object.keys(permissions) as Permission[]).some((p) => can(role, p)),
        role,
      ).toBe(true);
    }
  });
});
