import { pageSchema } from "../forms/schema";
import {
  accountFields,
  changePasswordFields,
  changePasswordRule,
  profileFields,
  signInFields,
  totpFields,
} from "./staff.pages";

/** The one schema of each back-office account form (staff.pages.ts). */
export const signInSchema = () => pageSchema("staff", signInFields);
export const totpSchema = () => pageSchema("staff", totpFields);
export const accountSchema = () => pageSchema("staff", accountFields);
export const profileSchema = () => pageSchema("staff", profileFields);
export const changePasswordSchema = () =>
  pageSchema("staff", changePasswordFields, undefined, changePasswordRule);
