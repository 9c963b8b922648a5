import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { changeOwnPassword } from "~/.server/password.server";
import { completeSignIn, requireStaffForPasswordChange, staffActor } from "~/.server/staff-auth.server";
import { QuestionForm } from "~/components/form/question-form";
import { InsetText } from "~/components/govuk/inset-text";
import { changePasswordFields, changePasswordRule } from "~/domain/staff/staff.pages";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["staff"], titleKey: "staff:password.title" };

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaffForPasswordChange(request);
  return { forced: staff.mustChangePassword };
}

/**
 * Changing one's own password, from the profile, or first of all when an administrator chose it
 * (every other back-office page sends here until then). Every other session of the account ends;
 * this browser gets a new one.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaffForPasswordChange(request);
  const account = { kind: "staff", id: staff.id, actor: staffActor(staff, context) } as const;
  return changeOwnPassword(request, account, () =>
    completeSignIn(request, staff.id, "/staff/profile?done=password"),
  );
}

export default function ChangePassword() {
  const { forced } = useLoaderData<typeof loader>();
  const { t } = useTranslation("staff");
  return (
    <QuestionForm
      page={{ slug: "password", fields: changePasswordFields }}
      rule={changePasswordRule}
      ns="staff"
      titleKey="staff:password.title"
      introKey="staff:password.intro"
      values={{}}
      back={forced ? undefined : "/staff/profile"}
      submitKey="staff:password.submit"
      before={forced && <InsetText>{t("password.forced")}</InsetText>}
    />
  );
}
