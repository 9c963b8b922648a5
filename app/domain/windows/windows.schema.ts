import { pageSchema } from "../forms/schema";
import { pauseFields, windowFields, windowRule } from "./windows.pages";

/** The one schema of each window form (windows.pages.ts). */
export const windowSchema = () => pageSchema("backoffice", windowFields, undefined, windowRule);
export const pauseSchema = () => pageSchema("backoffice", pauseFields);
