import * as z from "zod/mini";
import {
  codesOf,
  type Field,
  flatFields,
  inputNames,
  type PageRule,
  type Values,
  validateFields,
} from "./fields";

/*
 * zod/mini, not zod: the browser loads this only when a form is first used (see
 * components/form/validator.client.ts), and full zod would add 108 KB gzip (stack.md §5.8).
 */

/** The field's message for the first of these codes it has (a key in the locales), if any. */
function messageOf(ns: string, field: Field, codes: string[]): string | undefined {
  const code = codes.find((c) => codesOf(field).includes(c));
  return code && `${ns}:fields.${field.name}.errors.${code}`;
}

/**
 * The page's one schema: a strict object of the raw inputs (unknown fields rejected, every input a
 * bounded string), refined by the field rules and transformed into normalised answers.
 */
export function pageSchema(ns: string, fields: Field[], today?: () => string, rule?: PageRule) {
  const shape: Record<string, z.ZodMiniOptional<z.ZodMiniType<string, unknown>>> = {};
  for (const field of flatFields(fields)) {
    // Input past the hard cap (or not a string, which no form sends) gets the field's own message,
    // never zod's English; a field with no message (an optional choice) reads it as no answer.
    const notText = messageOf(ns, field, ["invalid", "required", "tooLong"]);
    const tooLong = messageOf(ns, field, ["tooLong", "invalid", "required"]);
    const raw = z.string(notText).check(z.maxLength(5000, tooLong));
    for (const input of inputNames(field)) shape[input] = z.optional(notText ? raw : z.catch(raw, ""));
  }
  return z.pipe(
    z.strictObject(shape).check(
      z.superRefine((raw, ctx) => {
        const { errors } = validateFields(ns, fields, raw as Values, today?.(), rule);
        for (const [name, message] of Object.entries(errors)) {
          ctx.addIssue({ code: "custom", message, path: [name], input: raw });
        }
      }),
    ),
    z.transform((raw) => validateFields(ns, fields, raw as Values, today?.()).answers),
  );
}

export type PageSchema = ReturnType<typeof pageSchema>;
