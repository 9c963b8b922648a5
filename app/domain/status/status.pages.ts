import { isValidReference, normaliseReference } from "../eoi/reference";
import type { Field } from "../forms/fields";

/** Signing in to the status pages: the reference and the date of birth given in the application. */
export const signInFields: Field[] = [
  {
    kind: "text",
    name: "reference",
    width: 10,
    spellCheck: false,
    autoComplete: "off",
    normalise: (v) => normaliseReference(v) ?? v,
    check: isValidReference,
  },
  { kind: "date", name: "signInDateOfBirth", past: true, autoComplete: "bday" },
];

export const withdrawFields: Field[] = [
  { kind: "textarea", name: "withdrawReason", optional: true, max: 1000 },
  { kind: "checkbox", name: "confirmWithdraw" },
];
