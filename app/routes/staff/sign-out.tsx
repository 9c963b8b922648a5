import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { db } from "~/.server/db.server";
import { readForm } from "~/.server/form.server";
import { destroySession, getSession } from "~/.server/session.server";
import { currentStaff, staffActor } from "~/.server/staff-auth.server";
import { audit } from "~/domain/audit/audit.server";

/** Sign out (POST only, with the CSRF token): the session row is deleted, not just the cookie. */
export async function action({ request, context }: ActionFunctionArgs) {
  await readForm(request);
  const staff = await currentStaff(request);
  if (staff)
    await audit(db(), staffActor(staff, context), "staff.signed_out", { type: "staff_user", id: staff.id });
  const session = await getSession(request);
  return redirect("/staff/sign-in?signedOut=1", { headers: { "Set-Cookie": await destroySession(session) } });
}

export const loader = () => redirect("/staff");
