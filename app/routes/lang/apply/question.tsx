import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireDraft } from "~/.server/applicant.server";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { QuestionForm } from "~/components/form/question-form";
import { countryOptions } from "~/domain/eoi/countries";
import {
  answersOf,
  findPage,
  findSection,
  nextPage,
  previousPage,
  type QuestionPage,
  withPage,
} from "~/domain/eoi/eoi.pages";
import { schemaFor } from "~/domain/eoi/eoi.schema";
import { saveAnswers } from "~/domain/eoi/eoi.service.server";
import { toFormValues } from "~/domain/forms/fields";

export const handle = { i18n: ["apply"] };

/** Any question page of the task list, rendered from its definition in eoi.pages.ts. */
function questionPage(slug: string | undefined): QuestionPage {
  const page = slug ? findPage(slug) : undefined;
  if (!page || !findSection(page.slug) || page.custom) throw new Response("Not found", { status: 404 });
  return page;
}

const pathOf = (lang: string, page: QuestionPage) =>
  `/${lang}/apply/${page.custom ? page.slug : `q/${page.slug}`}`;

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const lang = params.lang as string;
  const page = questionPage(params.slug);
  const { draft, setCookie } = await requireDraft(request, context, lang);
  if (draft.status !== "draft") throw redirect(`/${lang}/apply/confirmation`);
  if (page.when && !page.when(draft.answers)) throw redirect(`/${lang}/apply/tasks`);
  const fromCheck = new URL(request.url).searchParams.get("from") === "check";
  const previous = previousPage(page.slug, draft.answers);
  return Response.json(
    {
      slug: page.slug,
      titleKey: `apply:pages.${page.slug}.title`,
      countries: page.fields.some((f) => f.kind === "select") ? countryOptions(lang) : [],
      values: toFormValues(page.fields, answersOf(draft.answers, page.slug)),
      back: fromCheck ? `/${lang}/apply/check` : previous ? pathOf(lang, previous) : `/${lang}/apply/tasks`,
    },
    { headers: { "Set-Cookie": setCookie } },
  );
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const page = questionPage(params.slug);
  const { draft, actor } = await requireDraft(request, context, lang);
  const { values } = await readForm(request);
  const parsed = schemaFor(page).safeParse(values);
  // Invalid input is shown back with its errors; what was saved before stays as it was.
  if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
  const saved = await saveAnswers(draft.id, (a) => withPage(a, page.slug, parsed.data), actor);
  const fromCheck = new URL(request.url).searchParams.get("from") === "check";
  const next = nextPage(page.slug, saved.answers);
  // From "check your answers", go back there unless the answer opened a new question.
  if (fromCheck && !(next?.when && answersOf(saved.answers, next.slug) === undefined))
    return redirect(`/${lang}/apply/check`);
  return redirect(next ? `${pathOf(lang, next)}${fromCheck ? "?from=check" : ""}` : `/${lang}/apply/tasks`);
}

export default function Question() {
  const { slug, values, back, countries } = useLoaderData<{
    slug: string;
    values: Record<string, string>;
    back: string;
    countries: { value: string; label: string }[];
  }>();
  const page = questionPage(slug);
  return <QuestionForm key={slug} page={page} values={values} back={back} countries={countries} />;
}
