import { pageSchema } from "../forms/schema";
import { decisionFields, noteFields } from "./cases.pages";
import { type Decision, decisions } from "./cases.rules";

/** The one schema of each caseworker form (cases.pages.ts). */
export const decisionSchema = (allowed: readonly Decision[] = decisions) =>
  pageSchema("case", decisionFields(allowed));
export const noteSchema = () => pageSchema("case", noteFields);
