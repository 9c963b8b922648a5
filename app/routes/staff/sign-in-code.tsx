import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { limit } from "~/.server/limits.server";
import { completeSignIn, pendingSignIn } from "~/.server/staff-auth.server";
import { QuestionForm } from "~/components/form/question-form";
import { totpFields } from "~/domain/staff/staff.pages";
import { totpSchema } from "~/domain/staff/staff.schema";
import { verifyTotp } from "~/domain/staff/staff.service.server";

export const handle = { i18n: ["staff"], titleKey: "staff:code.title" };

export async function loader({ request }: LoaderFunctionArgs) {
  await pendingSignIn(request);
  return null;
}

/** Step two: the 6-digit code from the authenticator app (each code is accepted once). */
export async function action({ request, context }: ActionFunctionArgs) {
  const { staffId, next } = await pendingSignIn(request);
  const { values } = await readForm(request);
  const parsed = totpSchema().safeParse(values);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
  const tooMany = await limit("staffCodePerClient", context.clientIp);
  if (tooMany) return tooMany;
  const actor = { type: "staff" as const, id: staffId, ip: context.clientIp, requestId: context.requestId };
  if (!(await verifyTotp(staffId, parsed.data.totpCode as string, actor))) {
    return invalid({ totpCode: "staff:code.wrong" }, {});
  }
  return completeSignIn(request, staffId, next);
}

export default function StaffSignInCode() {
  return (
    <QuestionForm
      page={{ slug: "code", fields: totpFields }}
      ns="staff"
      titleKey="staff:code.title"
      introKey="staff:code.intro"
      values={{}}
      back="/staff/sign-in"
      submitKey="staff:code.submit"
    />
  );
}
