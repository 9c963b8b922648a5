import type { Field } from "../forms/fields";
import { passwordRule } from "../staff/staff.pages";

/**
 * NGO helpers' account forms (one schema each: accounts.schema.ts). Signing in and passwords ask
 * what they ask of staff, so the fields are the same; the words are the helpers' own
 * (locales/helpers.json).
 */
export { changePasswordFields, newPasswordFields, signInFields, totpFields } from "../staff/staff.pages";

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

/** Accepting an invitation or changing one's password (length over rules, as for staff). */
export const newPasswordRule = passwordRule("helpers");

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
