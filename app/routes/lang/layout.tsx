import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLocation } from "@remix-run/react";
import { isLanguage } from "~/.server/i18n.server";
import { Chrome } from "~/components/layout/chrome";

export async function loader({ params }: LoaderFunctionArgs) {
  if (!isLanguage(params.lang)) throw new Response("Not found", { status: 404 });
  return null;
}

export default function LanguageLayout() {
  // A new page is a new form, as it is without JavaScript: keyed by path, nothing (typed values,
  // a pressed button's double-click guard) carries over from one question page to the next.
  const { pathname } = useLocation();
  return (
    <Chrome>
      <Outlet key={pathname} />
    </Chrome>
  );
}
