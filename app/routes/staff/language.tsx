import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { safeNext, staffLanguageHeader } from "~/.server/staff-auth.server";

/** Before sign-in: switch the back office between English and French (a link, works without JS). */
export function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const to = url.searchParams.get("to") === "fr" ? "fr" : "en";
  const next = url.searchParams.get("next")?.startsWith("/staff/sign-in")
    ? (url.searchParams.get("next") as string)
    : safeNext(url.searchParams.get("next"));
  return redirect(next, { headers: { "Set-Cookie": staffLanguageHeader(to) } });
}
