import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { limit } from "~/.server/limits.server";
import { rotateSession } from "~/.server/session.server";
import { currentStaff, PENDING_SIGN_IN_MINUTES, safeNext } from "~/.server/staff-auth.server";
import { QuestionForm } from "~/components/form/question-form";
import { signInFields } from "~/domain/staff/staff.pages";
import { signInSchema } from "~/domain/staff/staff.schema";
import { checkPassword } from "~/domain/staff/staff.service.server";

export const handle = { i18n: ["staff"], titleKey: "staff:signIn.title" };

export async function loader({ request }: LoaderFunctionArgs) {
  const next = safeNext(new URL(request.url).searchParams.get("next"));
  if (await currentStaff(request)) throw redirect(next);
  return null;
}

/**
 * Step one of two: email and password. The answer to a wrong email and a wrong password is the
 * same; five wrong passwords lock the account (staff.rules.ts), and each client is rate limited.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const { values } = await readForm(request);
  const parsed = signInSchema().safeParse(values);
  const echo = { email: values.email };
  if (!parsed.success) return invalid(fieldErrors(parsed.error), echo);
  const tooMany = await limit("staffSignInPerClient", context.clientIp);
  if (tooMany) return tooMany;
  const result = await checkPassword(parsed.data.email as string, parsed.data.password as string, {
    type: "staff",
    ip: context.clientIp,
    requestId: context.requestId,
  });
  if (!result.ok) {
    return invalid({ password: result.lockedUntil ? "staff:signIn.locked" : "staff:signIn.wrong" }, echo);
  }
  const next = safeNext(new URL(request.url).searchParams.get("next"));
  const cookie = await rotateSession(
    request,
    { subject: `staff-pending:${result.staffId}`, staffPendingId: result.staffId, next },
    PENDING_SIGN_IN_MINUTES,
  );
  return redirect(result.needsTotpSetup ? "/staff/sign-in/set-up" : "/staff/sign-in/code", {
    headers: { "Set-Cookie": cookie },
  });
}

export default function StaffSignIn() {
  return (
    <QuestionForm
      page={{ slug: "signIn", fields: signInFields }}
      ns="staff"
      titleKey="staff:signIn.title"
      introKey="staff:signIn.intro"
      values={{}}
      submitKey="staff:signIn.submit"
    />
  );
}
