import { todayIso } from "../forms/fields";
import { pageSchema } from "../forms/schema";
import { signInFields, withdrawFields } from "./status.pages";

/** The one schema of each status form, built from the definitions in status.pages.ts. */
export const signInSchema = () => pageSchema("status", signInFields, todayIso);
export const withdrawSchema = () => pageSchema("status", withdrawFields);
