import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useLoaderData, useParams } from "@remix-run/react";
import { requireDraft } from "~/.server/applicant.server";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { QuestionForm } from "~/components/form/question-form";
import { Ltr } from "~/components/govuk/ltr";
import { SummaryList } from "~/components/govuk/summary-list";
import { countryOptions } from "~/domain/eoi/countries";
import { type Child, childFields, MAX_CHILDREN, nextPage, under18 } from "~/domain/eoi/eoi.pages";
import { childSchema } from "~/domain/eoi/eoi.schema";
import { saveAnswers } from "~/domain/eoi/eoi.service.server";
import { formatDay } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["apply", "journey"], titleKey: "apply:pages.children.title" };

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { draft, setCookie } = await requireDraft(request, context, params.lang as string);
  if (draft.status !== "draft") throw redirect(`/${params.lang}/apply/confirmation`);
  const fromCheck = new URL(request.url).searchParams.get("from") === "check";
  return data(
    {
      children: draft.answers.children ?? [],
      countries: countryOptions(params.lang as string),
      back: `/${params.lang}/apply/${fromCheck ? "check" : "q/applying-with"}`,
    },
    { headers: { "Set-Cookie": setCookie } },
  );
}

/**
 * Children under 18 come in their parent's application (Part A §5): added one at a time
 * (GOV.UK "add another"), removed, then confirmed — an empty list is a valid answer.
 */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const { draft, actor } = await requireDraft(request, context, lang);
  const { values } = await readForm(request);
  const { intent, childId, ...fields } = values;
  if (intent === "remove") {
    await saveAnswers(
      draft.id,
      (a) => ({ ...a, children: (a.children ?? []).filter((c) => c.id !== childId) }),
      actor,
    );
    return redirect(`/${lang}/apply/children`);
  }
  if (intent === "done") {
    const saved = await saveAnswers(draft.id, (a) => ({ ...a, children: a.children ?? [] }), actor);
    const fromCheck = new URL(request.url).searchParams.get("from") === "check";
    const next = nextPage("children", saved.answers);
    return redirect(
      fromCheck || !next
        ? `/${lang}/apply/${fromCheck ? "check" : "tasks"}`
        : `/${lang}/apply/q/${next.slug}`,
    );
  }
  const parsed = childSchema().safeParse(fields);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), fields);
  if ((draft.answers.children ?? []).length >= MAX_CHILDREN)
    return invalid({ childGivenNames: "journey:children.tooMany" }, fields);
  const c = parsed.data;
  const child: Child = {
    id: crypto.randomUUID(),
    givenNames: c.childGivenNames as string,
    familyName: c.childFamilyName as string,
    dateOfBirth: c.childDateOfBirth as string,
    sex: c.childSex as string,
    nationality: c.childNationality as string,
  };
  await saveAnswers(
    draft.id,
    (a) => ({ ...a, children: [...(a.children ?? []), child] }),
    actor,
    "eoi.child_added",
  );
  return redirect(`/${lang}/apply/children`);
}

export default function Children() {
  const { t } = useTranslation(["journey", "apply"]);
  const { lang = "" } = useParams();
  const { children, back, countries } = useLoaderData<typeof loader>();
  return (
    <>
      <QuestionForm
        page={{ slug: "children", fields: childFields }}
        rule={under18}
        countries={countries}
        values={{}}
        back={back}
        submitKey="journey:children.add"
        before={
          <>
            {children.length > 0 && (
              <SummaryList
                rows={children.map((c) => ({
                  key: <Ltr>{`${c.givenNames} ${c.familyName}`}</Ltr>,
                  value: formatDay(c.dateOfBirth, lang),
                }))}
              />
            )}
            <h2 className="govuk-heading-m">
              {t(children.length ? "children.addAnother" : "children.addFirst")}
            </h2>
          </>
        }
      />
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {children.map((c) => (
            <Form method="post" key={c.id} className="app-inline-form">
              <CsrfInput />
              <input type="hidden" name="intent" value="remove" />
              <input type="hidden" name="childId" value={c.id} />
              <button type="submit" className="govuk-button govuk-button--secondary">
                {t("children.remove")} <Ltr>{`${c.givenNames} ${c.familyName}`}</Ltr>
              </button>
            </Form>
          ))}
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="done" />
            <h2 className="govuk-heading-m">
              {t(children.length ? "children.doneTitle" : "children.noneTitle")}
            </h2>
            <button type="submit" className="govuk-button">
              {t(children.length ? "children.done" : "children.none")}
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
