import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { db } from "~/.server/db.server";
import { readForm } from "~/.server/form.server";
import { currentHelper, helperActor } from "~/.server/helper-auth.server";
import { destroySession, getSession } from "~/.server/session.server";
import { audit } from "~/domain/audit/audit.server";

/** Sign out (POST only, with the CSRF token): the session row is deleted, not just the cookie. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  await readForm(request);
  const helper = await currentHelper(request);
  if (helper)
    await audit(db(), helperActor(helper, context), "helper.signed_out", {
      type: "helper_user",
      id: helper.id,
    });
  const session = await getSession(request);
  return redirect(`/${params.lang}/helpers`, { headers: { "Set-Cookie": await destroySession(session) } });
}

export const loader = ({ params }: LoaderFunctionArgs) => redirect(`/${params.lang}/helpers`);
