import type { Actor } from "../domain/audit/audit.server";
import { type AccountKind, changeAccountPassword } from "../domain/auth/accounts.server";
import type { PageSchema } from "../domain/forms/schema";
import { changePasswordSchema as helperChangePasswordSchema } from "../domain/helpers/accounts.schema";
import { changePasswordSchema as staffChangePasswordSchema } from "../domain/staff/staff.schema";
import { fieldErrors, invalid, readForm } from "./form.server";

/** Each kind of account's "change your password" form: its schema, and its words for a refusal. */
const passwordForms = {
  staff: {
    schema: staffChangePasswordSchema,
    wrong: "staff:fields.currentPassword.errors.wrong",
    locked: "staff:signIn.locked",
  },
  helper: {
    schema: helperChangePasswordSchema,
    wrong: "helpers:fields.currentPassword.errors.wrong",
    locked: "helpers:signIn.locked",
  },
} as const satisfies Record<AccountKind, { schema: () => PageSchema; wrong: string; locked: string }>;

/**
 * The action of a signed-in staff member's or helper's "change your password" form: the form
 * checked by its schema, then changeAccountPassword (the current password checked and counted
 * towards the lockout, every other session ended, audited, emailed). A wrong current password, or a
 * locked account, is an error on that field; once changed, `signIn` gives this browser a new
 * session. Passwords are never sent back to the page.
 */
export async function changeOwnPassword(
  request: Request,
  account: { kind: AccountKind; id: string; actor: Actor },
  signIn: () => Promise<Response>,
) {
  const form = passwordForms[account.kind];
  const { values } = await readForm(request);
  const parsed = form.schema().safeParse(values);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), {});
  const { currentPassword, newPassword } = parsed.data as { currentPassword: string; newPassword: string };
  const { kind, id, actor } = account;
  const result = await changeAccountPassword(kind, id, currentPassword, newPassword, actor);
  if (!result.ok)
    return invalid({ currentPassword: result.error === "locked" ? form.locked : form.wrong }, {});
  return signIn();
}
