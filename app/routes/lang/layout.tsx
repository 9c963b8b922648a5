import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { isLanguage } from "~/.server/i18n.server";
import { Chrome } from "~/components/layout/chrome";

export async function loader({ params }: LoaderFunctionArgs) {
  if (!isLanguage(params.lang)) throw new Response("Not found", { status: 404 });
  return null;
}

export default function LanguageLayout() {
  return (
    <Chrome>
      <Outlet />
    </Chrome>
  );
}
