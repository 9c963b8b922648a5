import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { currentHelper, startPendingHelperSignIn } from "~/.server/helper-auth.server";
import { limit } from "~/.server/limits.server";
import { QuestionForm } from "~/components/form/question-form";
import { checkAccountPassword } from "~/domain/auth/accounts.server";
import { signInFields } from "~/domain/helpers/accounts.pages";
import { signInSchema } from "~/domain/helpers/accounts.schema";

export const handle = { i18n: ["helpers"], titleKey: "helpers:signIn.title" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  if (await currentHelper(request)) throw redirect(`/${params.lang}/helpers/cases`);
  return null;
}

/**
 * Step one of two: email and password. The answer to a wrong email and a wrong password is the
 * same; five wrong passwords lock the account (auth/accounts.server.ts), and each client is rate limited.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const { values } = await readForm(request);
  const parsed = signInSchema().safeParse(values);
  const echo = { email: values.email };
  if (!parsed.success) return invalid(fieldErrors(parsed.error), echo);
  const tooMany = await limit("helperSignInPerClient", context.clientIp);
  if (tooMany) return tooMany;
  const result = await checkAccountPassword(
    "helper",
    parsed.data.email as string,
    parsed.data.password as string,
    { type: "helper", ip: context.clientIp, requestId: context.requestId },
  );
  if (!result.ok) {
    return invalid({ password: result.lockedUntil ? "helpers:signIn.locked" : "helpers:signIn.wrong" }, echo);
  }
  const cookie = await startPendingHelperSignIn(request, result.id);
  return redirect(`/${lang}/helpers/${result.needsTotpSetup ? "set-up" : "code"}`, {
    headers: { "Set-Cookie": cookie },
  });
}

export default function HelperSignIn() {
  return (
    <QuestionForm
      page={{ slug: "signIn", fields: signInFields }}
      ns="helpers"
      titleKey="helpers:signIn.title"
      introKey="helpers:signIn.intro"
      values={{}}
      submitKey="helpers:signIn.submit"
    />
  );
}
