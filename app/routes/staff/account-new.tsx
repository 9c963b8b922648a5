import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import type { StaffRole } from "#db/schema";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { requireStaff, staffActor } from "~/.server/staff-auth.server";
import { QuestionForm } from "~/components/form/question-form";
import { accountFields } from "~/domain/staff/staff.pages";
import { accountSchema } from "~/domain/staff/staff.schema";
import { createStaffAccount, DuplicateStaffEmailError } from "~/domain/staff/staff.service.server";

export const handle = { i18n: ["staff"], titleKey: "staff:pages.account.title" };

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, "staff.manage");
  return null;
}

/**
 * An admin creates an account with an initial password to hand over in person; the new member
 * of staff sets up their authenticator at first sign-in.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "staff.manage");
  const { values } = await readForm(request);
  const parsed = accountSchema().safeParse(values);
  const { initialPassword: _secret, ...echo } = values;
  if (!parsed.success) return invalid(fieldErrors(parsed.error), echo);
  const input = parsed.data as {
    name: string;
    email: string;
    role: StaffRole;
    lang: "en" | "fr";
    initialPassword: string;
  };
  try {
    await createStaffAccount(
      {
        name: input.name,
        email: input.email,
        role: input.role,
        lang: input.lang,
        password: input.initialPassword,
      },
      staffActor(staff, context),
    );
  } catch (error) {
    if (error instanceof DuplicateStaffEmailError)
      return invalid({ email: "staff:fields.email.errors.taken" }, echo);
    throw error;
  }
  return redirect("/staff/accounts");
}

export default function NewAccount() {
  return (
    <QuestionForm
      page={{ slug: "account", fields: accountFields }}
      ns="staff"
      values={{ lang: "en" }}
      back="/staff/accounts"
      submitKey="staff:pages.account.submit"
    />
  );
}
