import type { Field } from "../forms/fields";
import { pageSchema } from "../forms/schema";
import { decisionFields, noteFields } from "./cases.pages";
import { type Decision, decisions } from "./cases.rules";

/**
 * Vulnerability recorded at approval: the first band of the matching queue (matching/priority.ts).
 * It changes nothing else, so it is asked only under the approval decision.
 */
export const vulnerableField: Field = { kind: "checkbox", name: "vulnerable", optional: true };

/** The decision form's fields with the approval's vulnerability box, after its reason. */
export function decisionFormFields(allowed: readonly Decision[] = decisions): Field[] {
  return decisionFields(allowed).map((field) =>
    field.kind === "radios" && field.conditional?.approved
      ? {
          ...field,
          conditional: { ...field.conditional, approved: [...field.conditional.approved, vulnerableField] },
        }
      : field,
  );
}

/** The one schema of each caseworker form (cases.pages.ts). */
export const decisionSchema = (allowed: readonly Decision[] = decisions) =>
  pageSchema("case", decisionFormFields(allowed));
export const noteSchema = () => pageSchema("case", noteFields);
