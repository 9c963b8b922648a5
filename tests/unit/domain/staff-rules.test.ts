import { describe, expect, it } from "vitest";
import { staffRoles } from "#db/schema";
import { can, type Permission, permissions } from "~/domain/staff/staff.rules";
import { changePasswordSchema } from "~/domain/staff/staff.schema";

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

describe("the change-password form (staff; helpers use the same fields)", () => {
  const errorsOf = (form: Record<string, string>) =>
    changePasswordSchema()
      .safeParse(form)
      .error?.issues.map((i) => [i.path[0], i.message]) ?? [];
  const form = { currentPassword: "the admin's password", newPassword: "my own long passphrase" };

  it.each([
    ["a new password typed twice alike", { ...form, confirmPassword: form.newPassword }, []],
    [
      "two different new passwords",
      { ...form, confirmPassword: "my own long passphrasE" },
      [["confirmPassword", "staff:fields.confirmPassword.errors.mismatch"]],
    ],
    [
      "the current password again",
      { ...form, newPassword: form.currentPassword, confirmPassword: form.currentPassword },
      [["newPassword", "staff:fields.newPassword.errors.same"]],
    ],
    [
      "a new password of 11 characters",
      { ...form, newPassword: "abcdefghijk", confirmPassword: "abcdefghijk" },
      [["newPassword", "staff:fields.newPassword.errors.invalid"]],
    ],
    [
      "no current password",
      { ...form, currentPassword: "", confirmPassword: form.newPassword },
      [["currentPassword", "staff:fields.currentPassword.errors.required"]],
    ],
  ])("%s", (_, values, errors) => {
    expect(errorsOf(values)).toEqual(errors);
  });
});
