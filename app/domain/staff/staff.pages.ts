import { staffRoles } from "../../../db/schema/people";
import type { Field, PageRule } from "../forms/fields";

/** Back-office forms, declared as fields like the applicant's (one schema each: staff.schema.ts). */

export const signInFields: Field[] = [
  { kind: "text", name: "email", type: "email", autoComplete: "username", spellCheck: false, max: 254 },
  { kind: "text", name: "password", type: "password", autoComplete: "current-password", max: 200 },
];

export const totpFields: Field[] = [
  {
    kind: "text",
    name: "totpCode",
    inputMode: "numeric",
    autoComplete: "one-time-code",
    width: 5,
    normalise: (v) => v.replace(/\s/g, ""),
    pattern: /^\d{6}$/,
  },
];

/** An initial password the admin hands over; at least 12 characters (NCSC: length over rules). */
export const MIN_PASSWORD_LENGTH = 12;

export const accountFields: Field[] = [
  { kind: "text", name: "name", autoComplete: "off", max: 120 },
  {
    kind: "text",
    name: "email",
    type: "email",
    autoComplete: "off",
    spellCheck: false,
    max: 254,
    pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  },
  { kind: "radios", name: "role", options: staffRoles },
  { kind: "radios", name: "lang", options: ["en", "fr"] },
  {
    kind: "text",
    name: "initialPassword",
    type: "password",
    autoComplete: "new-password",
    max: 200,
    check: (v) => v.length >= MIN_PASSWORD_LENGTH,
  },
];

export const profileFields: Field[] = [{ kind: "radios", name: "lang", options: ["en", "fr"] }];

/** A password chosen by its owner (helpers accepting their invitation; anyone changing theirs). */
export const newPasswordFields: Field[] = [
  {
    kind: "text",
    name: "newPassword",
    type: "password",
    autoComplete: "new-password",
    max: 200,
    check: (v) => v.length >= MIN_PASSWORD_LENGTH,
  },
  { kind: "text", name: "confirmPassword", type: "password", autoComplete: "new-password", max: 200 },
];

/** Staff and helpers changing their own password: the current one first (ASVS 2.1.6). */
export const changePasswordFields: Field[] = [
  { kind: "text", name: "currentPassword", type: "password", autoComplete: "current-password", max: 200 },
  ...newPasswordFields,
];

/** The new password typed twice alike and, when changing, not the current one again. */
export const passwordRule =
  (ns: string): PageRule =>
  (answers) => {
    const errors: Record<string, string> = {};
    if (answers.currentPassword !== undefined && answers.newPassword === answers.currentPassword)
      errors.newPassword = `${ns}:fields.newPassword.errors.same`;
    if (answers.newPassword !== answers.confirmPassword)
      errors.confirmPassword = `${ns}:fields.confirmPassword.errors.mismatch`;
    return errors;
  };

export const changePasswordRule = passwordRule("staff");
