import * as z from "zod/mini";
import { type Field, flatFields, inputNames, type PageRule, type Values, validateFields } from "./fields";

/*
 * zod/mini, not zod: the browser loads this only when a form is first used (see
 * components/form/validator.client.ts), and full zod would add 108 KB gzip (stack.md §5.8).
 */

/**
 * The page's one schema: a strict object of the raw inputs (unknown fields rejected, every input a
 * bounded string), refined by the field rules and transformed into normalised answers.
 */
export function pageSchema(ns: string, fields: Field[], today?: () => string, rule?: PageRule) {
  const shape: Record<string, z.ZodMiniOptional<z.ZodMiniString<string>>> = {};
  for (const field of flatFields(fields)) {
    for (const input of inputNames(field)) shape[input] = z.optional(z.string().check(z.maxLength(5000)));
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
