import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { requireDraft } from "~/.server/applicant.server";
import { TaskList } from "~/components/govuk/task-list";
import { isComplete, sectionStart, sectionStatus, sections } from "~/domain/eoi/eoi.pages";
import { openWindow } from "~/domain/eoi/eoi.service.server";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["apply", "journey"], titleKey: "journey:tasks.title" };

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { draft, setCookie } = await requireDraft(request, context, params.lang as string);
  if (draft.status !== "draft") throw redirect(`/${params.lang}/apply/confirmation`);
  const window = await openWindow();
  return Response.json(
    {
      sections: sections.map((s) => ({
        id: s.id,
        status: sectionStatus(s, draft.answers),
        start: sectionStart(s, draft.answers).slug,
        custom: sectionStart(s, draft.answers).custom,
      })),
      complete: isComplete(draft.answers),
      windowOpen: !!window,
    },
    { headers: { "Set-Cookie": setCookie } },
  );
}

const tagColour = {
  completed: undefined,
  "in-progress": "light-blue",
  "not-started": "blue",
  "cannot-start": "grey",
} as const;

/** The task list: each section of the application with its status (GOV.UK task list pattern). */
export default function Tasks() {
  const { t } = useTranslation(["journey", "apply"]);
  const { lang = "" } = useParams();
  const data = useLoaderData<{
    sections: { id: string; status: keyof typeof tagColour; start: string; custom?: string }[];
    complete: boolean;
    windowOpen: boolean;
  }>();
  const done = data.sections.filter((s) => s.status === "completed").length;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-xl">{t("tasks.title")}</h1>
        {!data.windowOpen && <div className="govuk-inset-text">{t("tasks.windowClosed")}</div>}
        <p className="govuk-body">{t("tasks.progress", { done, total: data.sections.length })}</p>
        <p className="govuk-body">{t("tasks.saved")}</p>
        <TaskList
          items={data.sections.map((s) => ({
            title: t(`apply:sections.${s.id}`),
            href: `/${lang}/apply/${s.custom ? s.start : `q/${s.start}`}`,
            status: { text: t(`tasks.status.${s.status}`), tag: tagColour[s.status] },
          }))}
        />
        {data.complete ? (
          <Link to={`/${lang}/apply/check`} className="govuk-button" role="button" draggable="false">
            {t("tasks.checkButton")}
          </Link>
        ) : (
          <p className="govuk-body">{t("tasks.incomplete")}</p>
        )}
      </div>
    </div>
  );
}
