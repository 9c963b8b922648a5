import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { readPreDraft } from "~/.server/applicant.server";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { QuestionForm } from "~/components/form/question-form";
import { answersOf, eligibilityOutcome, eligibilityPages, withPage } from "~/domain/eoi/eoi.pages";
import { schemaFor } from "~/domain/eoi/eoi.schema";
import { toFormValues } from "~/domain/forms/fields";

export const handle = { i18n: ["apply"] };

/** Eligibility questions, one per page. Answers stay in a cookie on the applicant's device. */
function pageOf(slug: string | undefined) {
  const index = eligibilityPages.findIndex((p) => p.slug === slug);
  if (index < 0) throw new Response("Not found", { status: 404 });
  return { page: eligibilityPages[index] as (typeof eligibilityPages)[number], index };
}

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { page, index } = pageOf(params.slug);
  const { answers } = await readPreDraft(request);
  const previous = eligibilityPages[index - 1];
  return {
    slug: page.slug,
    titleKey: `apply:pages.${page.slug}.title`,
    values: toFormValues(page.fields, answersOf(answers, page.slug)),
    back: previous ? `/${params.lang}/apply/eligibility/${previous.slug}` : `/${params.lang}/apply`,
  };
}

export async function action({ params, request }: ActionFunctionArgs) {
  const { page, index } = pageOf(params.slug);
  const { values } = await readForm(request);
  const parsed = schemaFor(page).safeParse(values);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
  const preDraft = await readPreDraft(request);
  const answers = withPage(preDraft.answers, page.slug, parsed.data);
  const outcome = eligibilityOutcome(answers);
  if (outcome !== "eligible" && outcome !== "incomplete") {
    // Not eligible: tell them why, and keep nothing about them.
    return redirect(`/${params.lang}/apply/not-eligible/${outcome}`, {
      headers: { "Set-Cookie": await preDraft.clear() },
    });
  }
  const next = eligibilityPages[index + 1];
  const to = next ? `/${params.lang}/apply/eligibility/${next.slug}` : `/${params.lang}/apply/eligible`;
  return redirect(to, { headers: { "Set-Cookie": await preDraft.save({ answers }) } });
}

export default function EligibilityQuestion() {
  const { slug, values, back } = useLoaderData<typeof loader>();
  const page = pageOf(slug).page;
  return <QuestionForm key={slug} page={page} values={values} back={back} />;
}
