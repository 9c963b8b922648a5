import { pageSchema } from "../forms/schema";
import {
  changePasswordFields,
  inviteFields,
  newPasswordFields,
  newPasswordRule,
  organisationFields,
  signInFields,
  totpFields,
} from "./accounts.pages";

/** The one schema of each helper account form (accounts.pages.ts). */
export const signInSchema = () => pageSchema("helpers", signInFields);
export const totpSchema = () => pageSchema("helpers", totpFields);
export const newPasswordSchema = () => pageSchema("helpers", newPasswordFields, undefined, newPasswordRule);
export const changePasswordSchema = () =>
  pageSchema("helpers", changePasswordFields, undefined, newPasswordRule);
export const inviteSchema = () => pageSchema("helpers", inviteFields);
/** Back office, in the staff's words. */
export const organisationSchema = () => pageSchema("staff", organisationFields);
