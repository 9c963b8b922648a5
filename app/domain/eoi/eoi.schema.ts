import { todayIso } from "../forms/fields";
import { pageSchema } from "../forms/schema";
import {
  atLeastOneContact,
  childFields,
  codeFields,
  contactFields,
  declarationFields,
  type QuestionPage,
  under18,
} from "./eoi.pages";

/**
 * The one schema of each EOI form, built from the page definitions in eoi.pages.ts. Functions, not
 * module-level values, so a page that imports one only for its action does not pull zod into the
 * browser (the browser gets it lazily, with the validator).
 */
const NS = "apply";
const schemas = new Map<string, ReturnType<typeof pageSchema>>();

export function schemaFor(page: QuestionPage) {
  let schema = schemas.get(page.slug);
  if (!schema) {
    schema = pageSchema(NS, page.fields, todayIso);
    schemas.set(page.slug, schema);
  }
  return schema;
}

/** Built on first use and kept, as schemaFor does: the date is read at each check, not kept. */
function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
}

export const contactSchema = once(() => pageSchema(NS, contactFields, todayIso, atLeastOneContact));
export const codeSchema = once(() => pageSchema(NS, codeFields));
export const declarationSchema = once(() => pageSchema(NS, declarationFields));
export const childSchema = once(() => pageSchema(NS, childFields, todayIso, under18));
