import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { requireStaff, staffActor } from "~/.server/staff-auth.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { QuestionForm } from "~/components/form/question-form";
import { BackLink } from "~/components/govuk/back-link";
import { Button, ButtonGroup } from "~/components/govuk/button";
import { InsetText } from "~/components/govuk/inset-text";
import { SummaryList } from "~/components/govuk/summary-list";
import { Tag, type TagColour } from "~/components/govuk/tag";
import { WarningText } from "~/components/govuk/warning-text";
import { toFormValues } from "~/domain/forms/fields";
import { pauseFields, windowFields, windowRule } from "~/domain/windows/windows.pages";
import {
  isKnownPauseReason,
  pauseReasonText,
  type WindowAnswers,
  type WindowState,
  windowAnswers,
} from "~/domain/windows/windows.rules";
import { pauseSchema, windowSchema } from "~/domain/windows/windows.schema";
import {
  closeWindow,
  createWindow,
  getWindow,
  pauseWindow,
  resumeWindow,
  updateWindow,
} from "~/domain/windows/windows.service.server";
import { formatDateTime } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

/** Serves /staff/windows/new (create) and /staff/windows/:id (change, pause, resume, close). */
export const handle = { i18n: ["backoffice", "staff"], titleKey: "backoffice:pages.window-new.title" };

const views = ["edit", "pause", "close"] as const;
type View = (typeof views)[number];

const notFound = () => new Response("Not found", { status: 404 });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "windows.manage");
  if (!params.id) return { mode: "new" as const, titleKey: "backoffice:pages.window-new.title" };
  const w = await getWindow(params.id);
  if (!w) throw notFound();
  const asked = views.find((v) => v === new URL(request.url).searchParams.get("view")) ?? "edit";
  // A view the window's state no longer allows (a page left open) falls back to the window itself.
  const view: View | "closed" = !w.actions.edit
    ? "closed"
    : asked === "pause" && !w.actions.pause
      ? "edit"
      : asked === "close" && !w.actions.close
        ? "edit"
        : asked;
  const number = new Intl.NumberFormat(staff.lang);
  return {
    mode: "edit" as const,
    view,
    titleKey: {
      edit: "backoffice:pages.window-edit.title",
      pause: "backoffice:pages.window-pause.title",
      close: "backoffice:window.close.title",
      closed: "backoffice:window.closedTitle",
    }[view],
    window: {
      id: w.id,
      name: w.name,
      state: w.state,
      actions: w.actions,
      opens: formatDateTime(w.opensAt, staff.lang),
      closes: formatDateTime(w.closesAt, staff.lang),
      paused: w.pausedAt && formatDateTime(w.pausedAt, staff.lang),
      pauseReason: w.pauseReason,
      pauseReasonKnown: isKnownPauseReason(w.pauseReason),
      cap: w.cap === null ? null : number.format(w.cap),
      counts: {
        submitted: number.format(w.counts.submitted),
        waiting: number.format(w.counts.waiting),
        selected: number.format(w.counts.selected),
        closed: number.format(w.counts.closed),
      },
    },
    values: toFormValues(windowFields, windowAnswers(w)),
  };
}

type ActionData = {
  errors: Record<string, string>;
  values: Record<string, string | undefined>;
  overlapping?: { name: string; opens: string; closes: string };
};

/** One form per intent: save (new or changed dates), pause, resume, close. Admins only. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "windows.manage");
  const { values } = await readForm(request);
  const actor = staffActor(staff, context);
  const { intent = "save", ...fields } = values;
  const id = params.id;

  if (intent === "save") {
    const parsed = windowSchema().safeParse(fields);
    if (!parsed.success) return invalid(fieldErrors(parsed.error), fields);
    const answers = parsed.data as unknown as WindowAnswers;
    const result = id ? await updateWindow(id, answers, actor) : await createWindow(answers, actor);
    if (!result) throw notFound();
    if (result.ok) return redirect(`/staff/windows?done=${id ? "updated" : "created"}`, 303);
    if ("notEditable" in result) return redirect(`/staff/windows/${id}`, 303);
    const errors = Object.fromEntries(
      Object.entries(result.errors).map(([field, code]) => [
        field,
        `backoffice:fields.${field}.errors.${code}`,
      ]),
    );
    const o = result.overlapping;
    return data<ActionData>(
      {
        errors,
        values: fields,
        ...(o && {
          overlapping: {
            name: o.name,
            opens: formatDateTime(o.opensAt, staff.lang),
            closes: formatDateTime(o.closesAt, staff.lang),
          },
        }),
      },
      { status: 422 },
    );
  }

  if (!id) throw new Response("Bad request", { status: 400 });
  let changed: boolean | null;
  if (intent === "pause") {
    const parsed = pauseSchema().safeParse(fields);
    if (!parsed.success) return invalid(fieldErrors(parsed.error), fields);
    const answers = parsed.data as { pauseReason: string; pauseDetails?: string };
    changed = await pauseWindow(id, pauseReasonText(answers), actor);
  } else if (intent === "resume") {
    changed = await resumeWindow(id, actor);
  } else if (intent === "close") {
    changed = await closeWindow(id, actor);
  } else {
    throw new Response("Bad request", { status: 400 });
  }
  if (changed === null) throw notFound();
  const done = { pause: "paused", resume: "resumed", close: "closed" }[intent];
  return redirect(changed ? `/staff/windows?done=${done}` : `/staff/windows/${id}`, 303);
}

const stateColour: Record<WindowState, TagColour> = {
  scheduled: "blue",
  open: "green",
  paused: "yellow",
  closed: "grey",
};

type EditData = Extract<Awaited<ReturnType<typeof loader>>, { mode: "edit" }>;

function WindowFacts({ w }: { w: EditData["window"] }) {
  const { t } = useTranslation(["backoffice", "staff"]);
  return (
    <SummaryList
      rows={[
        {
          key: t("windows.columns.state"),
          value: <Tag colour={stateColour[w.state]}>{t(`windows.states.${w.state}`)}</Tag>,
        },
        ...(w.state === "paused" && w.paused
          ? [
              {
                key: t("window.pausedSince"),
                value: (
                  <>
                    {w.paused}
                    <br />
                    {w.pauseReasonKnown ? t(`windows.pauseReasons.${w.pauseReason}`) : w.pauseReason}
                  </>
                ),
              },
            ]
          : []),
        { key: t("windows.columns.opens"), value: w.opens },
        { key: t("windows.columns.closes"), value: w.closes },
        {
          key: t("windows.columns.submitted"),
          value:
            w.cap === null
              ? t("windows.noCap", { submitted: w.counts.submitted })
              : t("windows.capUsage", { submitted: w.counts.submitted, cap: w.cap }),
        },
        { key: t("windows.columns.waiting"), value: w.counts.waiting },
        { key: t("windows.columns.selected"), value: w.counts.selected },
        { key: t("windows.columns.closed"), value: w.counts.closed },
      ]}
    />
  );
}

function Overlap() {
  const actionData = useActionData<ActionData>();
  const { t } = useTranslation(["backoffice", "staff"]);
  const o = actionData?.overlapping;
  return o ? <InsetText>{t("window.overlapping", o)}</InsetText> : null;
}

export default function WindowEdit() {
  const loaded = useLoaderData<typeof loader>();
  const { t } = useTranslation(["backoffice", "staff"]);

  if (loaded.mode === "new") {
    return (
      <QuestionForm
        page={{ slug: "window-new", fields: windowFields }}
        rule={windowRule}
        ns="backoffice"
        values={{}}
        back="/staff/windows"
        submitKey="backoffice:pages.window-new.submit"
        before={<Overlap />}
      />
    );
  }

  const { window: w, view } = loaded;
  const self = `/staff/windows/${w.id}`;

  if (view === "pause") {
    return (
      <QuestionForm
        page={{ slug: "window-pause", fields: pauseFields }}
        ns="backoffice"
        values={{}}
        titleKey="backoffice:pages.window-pause.title"
        back={self}
        hidden={{ intent: "pause" }}
        submitKey="backoffice:pages.window-pause.submit"
      />
    );
  }

  if (view === "close") {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <BackLink to={self} />
          <h1 className="govuk-heading-l">{t("window.close.title")}</h1>
          <p className="govuk-body">{t("window.close.body", { name: w.name })}</p>
          <WarningText>{t("window.close.warning")}</WarningText>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="close" />
            <ButtonGroup>
              <Button variant="warning" preventDoubleClick>
                {t("window.close.submit")}
              </Button>
              <Link className="govuk-link" to={self}>
                {t("window.cancel")}
              </Link>
            </ButtonGroup>
          </Form>
        </div>
      </div>
    );
  }

  if (view === "closed") {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <BackLink to="/staff/windows" />
          <span className="govuk-caption-l">{t("window.closedTitle")}</span>
          <h1 className="govuk-heading-l">{w.name}</h1>
          <WindowFacts w={w} />
          <p className="govuk-body">{t("window.closedNote")}</p>
        </div>
      </div>
    );
  }

  return (
    <>
      <QuestionForm
        page={{ slug: "window-edit", fields: windowFields }}
        rule={windowRule}
        ns="backoffice"
        values={loaded.values}
        back="/staff/windows"
        submitKey="backoffice:pages.window-edit.submit"
        before={
          <>
            <WindowFacts w={w} />
            <Overlap />
          </>
        }
      />
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h2 className="govuk-heading-m">{t("window.manage")}</h2>
          {w.actions.resume && (
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="resume" />
              <p className="govuk-body">{t("window.resumeIntro")}</p>
              <Button variant="secondary" preventDoubleClick>
                {t("window.resume")}
              </Button>
            </Form>
          )}
          {w.actions.pause && (
            <>
              <p className="govuk-body">{t("window.pauseIntro")}</p>
              <Button variant="secondary" href={`${self}?view=pause`}>
                {t("window.pause")}
              </Button>
            </>
          )}
          {w.actions.close && (
            <>
              <p className="govuk-body">{t("window.closeIntro")}</p>
              <Button variant="warning" href={`${self}?view=close`}>
                {t("window.close.start")}
              </Button>
            </>
          )}
        </div>
      </div>
    </>
  );
}
