import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useParams } from "@remix-run/react";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { completeHelperSignIn, pendingHelperSignIn } from "~/.server/helper-auth.server";
import { limit } from "~/.server/limits.server";
import { QuestionForm } from "~/components/form/question-form";
import { verifyAccountTotp } from "~/domain/auth/accounts.server";
import { totpFields } from "~/domain/helpers/accounts.pages";
import { totpSchema } from "~/domain/helpers/accounts.schema";

export const handle = { i18n: ["helpers"], titleKey: "helpers:code.title" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  await pendingHelperSignIn(request, params.lang as string);
  return null;
}

/** Step two: the 6-digit code from the authenticator app (each code is accepted once). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const { helperId } = await pendingHelperSignIn(request, lang);
  const { values } = await readForm(request);
  const parsed = totpSchema().safeParse(values);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
  const tooMany = await limit("helperCodePerClient", context.clientIp);
  if (tooMany) return tooMany;
  const actor = { type: "helper" as const, id: helperId, ip: context.clientIp, requestId: context.requestId };
  if (!(await verifyAccountTotp("helper", helperId, parsed.data.totpCode as string, actor))) {
    return invalid({ totpCode: "helpers:code.wrong" }, {});
  }
  return completeHelperSignIn(request, helperId, lang);
}

export default function HelperSignInCode() {
  const { lang } = useParams();
  return (
    <QuestionForm
      page={{ slug: "code", fields: totpFields }}
      ns="helpers"
      titleKey="helpers:code.title"
      introKey="helpers:code.intro"
      values={{}}
      back={`/${lang}/helpers`}
      submitKey="helpers:code.submit"
    />
  );
}
