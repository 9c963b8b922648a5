import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { useParams } from "@remix-run/react";
import { readPreDraft } from "~/.server/applicant.server";
import { blindIndex } from "~/.server/crypto.server";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { limit } from "~/.server/limits.server";
import { QuestionForm } from "~/components/form/question-form";
import { requestSignInCode } from "~/domain/status/account.service.server";
import { signInFields } from "~/domain/status/status.pages";
import { signInSchema } from "~/domain/status/status.schema";

export const handle = { i18n: ["status", "journey"], titleKey: "status:signIn.title" };

/**
 * Sign in to follow an application: reference and date of birth, then a code sent to the contact
 * details on file. The answer is the same whether or not the reference exists.
 */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const { values } = await readForm(request);
  const parsed = signInSchema().safeParse(values);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
  const reference = parsed.data.reference as string;
  const tooMany =
    (await limit("signInPerClient", context.clientIp)) ??
    (await limit("signInPerReference", blindIndex("limit", reference)));
  if (tooMany) return tooMany;
  await requestSignInCode(reference, parsed.data.signInDateOfBirth as string, lang);
  const cookie = await readPreDraft(request);
  return redirect(`/${lang}/status/verify`, { headers: { "Set-Cookie": await cookie.save({ reference }) } });
}

export default function SignIn() {
  const { lang } = useParams();
  return (
    <QuestionForm
      page={{ slug: "signIn", fields: signInFields }}
      ns="status"
      titleKey="status:signIn.title"
      introKey="status:signIn.intro"
      values={{}}
      back={`/${lang}`}
      submitKey="common:components.continue"
      honeypot
    />
  );
}
