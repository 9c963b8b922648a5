import type { LoaderFunctionArgs } from "@remix-run/node";
import { localeVersion, namespaceResource } from "~/.server/i18n.server";

/** Locale files for the browser; versioned URLs, so they are cached for a year. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const resource = namespaceResource(params.lang ?? "", params.ns ?? "");
  if (!resource) throw new Response("Not found", { status: 404 });
  const versioned = new URL(request.url).searchParams.get("v") === localeVersion();
  return Response.json(resource, {
    headers: { "Cache-Control": versioned ? "public, max-age=31536000, immutable" : "no-cache" },
  });
}
