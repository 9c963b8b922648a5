import type { Field, PageRule } from "../forms/fields";
import { MIN_PASSWORD_LENGTH } from "../staff/staff.pages";

/**
 * NGO helpers' account forms (one schema each: accounts.schema.ts). Signing in asks what staff
 * sign-in asks, so the fields are the same; the words are the helpers' own (locales/helpers.json).
 */
export { signInFields, totpFields } from "../staff/staff.pages";

/** Helpers read the portal and their emails in French, English or Arabic (helper_users.lang). */
export const helperLanguages = ["fr", "en", "ar"] as const;
export type HelperLanguage = (typeof helperLanguages)[number];

const email: Field = {
  kind: "text",
  name: "email",
  type: "email",
  autoComplete: "off",
  spellCheck: false,
  max: 254,
  pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
};

/** Accepting an invitation: the helper chooses a password (length over rules, as for staff). */
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

export const newPasswordRule: PageRule = (answers): Record<string, string> =>
  answers.newPassword === answers.confirmPassword
    ? {}
    : { confirmPassword: "helpers:fields.confirmPassword.errors.mismatch" };

/** A coordinator inviting a helper into their organisation. */
export const inviteFields: Field[] = [
  { kind: "text", name: "name", autoComplete: "off", max: 120 },
  email,
  { kind: "radios", name: "lang", options: helperLanguages },
];

/** The back office registering an organisation and its coordinator (staff namespace). */
export const organisationFields: Field[] = [
  { kind: "text", name: "organisationName", autoComplete: "off", max: 120 },
  { kind: "text", name: "city", autoComplete: "off", max: 80 },
  { kind: "text", name: "coordinatorName", autoComplete: "off", max: 120 },
  { ...email, name: "coordinatorEmail" },
  { kind: "radios", name: "coordinatorLang", options: helperLanguages },
];
