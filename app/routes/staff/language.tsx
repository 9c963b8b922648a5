import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { safeNext, staffLanguageHeader } from "~/.server/staff-auth.server";

/** The sign-in pages, where the switch is offered before sign-in (safeNext never returns to them). */
const signInPage = /^\/staff\/sign-in(\/code|\/set-up)?$/;

/** Before sign-in: switch the back office between English and French (a link, works without JS). */
export function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const to = url.searchParams.get("to") === "fr" ? "fr" : "en";
  const asked = url.searchParams.get("next");
  const next = asked && signInPage.test(asked) ? asked : safeNext(asked);
  return redirect(next, { headers: { "Set-Cookie": staffLanguageHeader(to) } });
}
