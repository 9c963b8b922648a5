import { pageSchema } from "../forms/schema";
import { consentFields, handOverFields } from "./cases.pages";

/** The one schema of each helper case form (cases.pages.ts). */
export const consentSchema = () => pageSchema("caseload", consentFields);
export const handOverSchema = (colleagueIds: readonly string[]) =>
  pageSchema("caseload", handOverFields(colleagueIds));
