import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useParams } from "@remix-run/react";
import { completeHelperSignIn, helperActor, requireHelper } from "~/.server/helper-auth.server";
import { changeOwnPassword } from "~/.server/password.server";
import { QuestionForm } from "~/components/form/question-form";
import { changePasswordFields, newPasswordRule } from "~/domain/helpers/accounts.pages";

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
  const account = { kind: "helper", id: helper.id, actor: helperActor(helper, context) } as const;
  return changeOwnPassword(request, account, () =>
    completeHelperSignIn(request, helper.id, lang, `/${lang}/helpers/cases?done=password`),
  );
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
