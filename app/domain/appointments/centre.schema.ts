import { pageSchema } from "../forms/schema";
import {
  closureFields,
  closureRule,
  enrolmentFields,
  generateFields,
  patternFields,
  patternRule,
} from "./centre.pages";

/** The one schema of each centre form (centre.pages.ts). */
export const patternSchema = () => pageSchema("centres", patternFields, undefined, patternRule);
export const closureSchema = (today: () => string) =>
  pageSchema("centres", closureFields, undefined, closureRule(today));
export const generateSchema = () => pageSchema("centres", generateFields);
export const enrolmentSchema = () => pageSchema("centres", enrolmentFields);
