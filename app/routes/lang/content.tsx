import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { fixedT } from "~/.server/i18n.server";
import { Prose, type ProseSection } from "~/components/govuk/prose";
import { useTranslation } from "~/i18n/react";

/** Privacy, accessibility and cookies pages: one module, content from locales/<lang>/pages.json. */
export const handle = { i18n: ["pages"] };

const pages = ["privacy", "accessibility", "cookies"] as const;

export async function loader({ params, request }: LoaderFunctionArgs) {
  const page = pages.find((p) => new URL(request.url).pathname.endsWith(`/${p}`));
  if (!page) throw new Response("Not found", { status: 404 });
  const t = await fixedT(params.lang as string, "pages");
  return { page, title: t(`${page}.title`) };
}

export default function ContentPage() {
  const { page, title } = useLoaderData<typeof loader>();
  const { t } = useTranslation("pages");
  return (
    <Prose
      title={title}
      sections={t(`${page}.sections`, { returnObjects: true }) as unknown as ProseSection[]}
    />
  );
}
