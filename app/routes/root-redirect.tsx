import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { negotiateLanguage } from "~/.server/i18n.server";
import { defaultLanguage } from "~/i18n/config";

/** `/` sends each visitor to their browser's language when we have it, French otherwise. */
export async function loader({ request }: LoaderFunctionArgs) {
  const lang = negotiateLanguage(request.headers.get("Accept-Language"), defaultLanguage);
  return redirect(`/${lang}`, { status: 302, headers: { Vary: "Accept-Language" } });
}
