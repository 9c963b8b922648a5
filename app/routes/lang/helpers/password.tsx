import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useParams } from "@remix-run/react";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { completeHelperSignIn, helperActor, requireHelper } from "~/.server/helper-auth.server";
import { QuestionForm } from "~/components/form/question-form";
import { changeAccountPassword } from "~/domain/auth/accounts.server";
import { changePasswordFields, newPasswordRule } from "~/domain/helpers/accounts.pages";
import { changePasswordSchema } from "~/domain/helpers/accounts.schema";

export const handle = { i18n: ["helpers"], titleKey: "helpers:password.title" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireHelper(request, params.lang as string);
  return null;
}

/**
 * A helper changes their own password. Every other session of the account ends (a case left open
 * on another computer included); this browser gets a new one, back at the caseload.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const helper = await requireHelper(request, lang);
  const { values } = await readForm(request);
  const parsed = changePasswordSchema().safeParse(values);
  // Passwords are never sent back to the page.
  if (!parsed.success) return invalid(fieldErrors(parsed.error), {});
  const { currentPassword, newPassword } = parsed.data as { currentPassword: string; newPassword: string };
  const actor = helperActor(helper, context);
  const result = await changeAccountPassword("helper", helper.id, currentPassword, newPassword, actor);
  if (!result.ok)
    return invalid(
      {
        currentPassword:
          result.error === "locked" ? "helpers:signIn.locked" : "helpers:fields.currentPassword.errors.wrong",
      },
      {},
    );
  return completeHelperSignIn(request, helper.id, lang, `/${lang}/helpers/cases?done=password`);
}

export default function ChangeHelperPassword() {
  const { lang } = useParams();
  return (
    <QuestionForm
      page={{ slug: "password", fields: changePasswordFields }}
      rule={newPasswordRule}
      ns="helpers"
      titleKey="helpers:password.title"
      introKey="helpers:password.intro"
      values={{}}
      back={`/${lang}/helpers/cases`}
      submitKey="helpers:password.submit"
    />
  );
}
