import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { readPreDraft } from "~/.server/applicant.server";
import { readForm } from "~/.server/form.server";
import { destroySession, getSession } from "~/.server/session.server";

/**
 * An applicant signs out (ASVS 3.3.1), on a phone or an NGO's shared computer: the session row is
 * deleted, not just the cookie, and the pre-draft cookie (eligibility answers, contact details
 * awaiting a code) goes too. POST only, with the CSRF token.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  await readForm(request);
  const headers = new Headers();
  headers.append("Set-Cookie", await destroySession(await getSession(request)));
  headers.append("Set-Cookie", await (await readPreDraft(request)).clear());
  return redirect(`/${params.lang}/signed-out`, { status: 303, headers });
}

export const loader = ({ params }: LoaderFunctionArgs) => redirect(`/${params.lang}`);
