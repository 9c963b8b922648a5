import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { readForm } from "~/.server/form.server";
import { requireStaff, staffActor } from "~/.server/staff-auth.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { Button } from "~/components/govuk/button";
import { NotificationBanner } from "~/components/govuk/notification-banner";
import { Table } from "~/components/govuk/table";
import { Tag, type TagColour } from "~/components/govuk/tag";
import { ScrollRegion } from "~/components/staff/scroll-region";
import { can } from "~/domain/staff/staff.rules";
import { isKnownPauseReason, type WindowState } from "~/domain/windows/windows.rules";
import { listWindows, resumeWindow, schemeSuspended } from "~/domain/windows/windows.service.server";
import { formatDateTime } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["backoffice", "staff"], titleKey: "backoffice:windows.title" };

const doneMessages = ["created", "updated", "paused", "resumed", "closed"] as const;

/** Caseworkers see the windows and their counts; only admins get the buttons (and the actions). */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "windows.view");
  const windows = await listWindows();
  const suspended = await schemeSuspended();
  const done = new URL(request.url).searchParams.get("done");
  const number = new Intl.NumberFormat(staff.lang);
  return {
    canManage: can(staff.role, "windows.manage"),
    suspended,
    done: doneMessages.find((d) => d === done) ?? null,
    windows: windows.map((w) => ({
      id: w.id,
      name: w.name,
      state: w.state,
      actions: w.actions,
      opens: formatDateTime(w.opensAt, staff.lang),
      closes: formatDateTime(w.closesAt, staff.lang),
      cap: w.cap === null ? null : number.format(w.cap),
      capReached: w.cap !== null && w.counts.submitted >= w.cap,
      pauseReason: w.pauseReason,
      pauseReasonKnown: isKnownPauseReason(w.pauseReason),
      submitted: number.format(w.counts.submitted),
      waiting: number.format(w.counts.waiting),
      selected: number.format(w.counts.selected),
      closed: number.format(w.counts.closed),
    })),
  };
}

/**
 * Resuming a paused window is one click from the list (it only restores what the dates say);
 * pausing asks for a reason and closing for confirmation, on the window's own page.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const staff = await requireStaff(request, "windows.manage");
  const { values } = await readForm(request);
  if (values.intent !== "resume" || !values.id) throw new Response("Bad request", { status: 400 });
  const changed = await resumeWindow(values.id, staffActor(staff, context));
  if (changed === null) throw new Response("Not found", { status: 404 });
  return redirect(changed ? "/staff/windows?done=resumed" : "/staff/windows", 303);
}

const stateColour: Record<WindowState, TagColour> = {
  scheduled: "blue",
  open: "green",
  paused: "yellow",
  closed: "grey",
};

export default function WindowList() {
  const { canManage, suspended, done, windows } = useLoaderData<typeof loader>();
  const { t } = useTranslation(["backoffice", "staff"]);
  return (
    <>
      {done && <NotificationBanner type="success" heading={t(`windows.done.${done}`)} />}
      {suspended && <NotificationBanner heading={t("windows.suspended")} />}
      <h1 className="govuk-heading-l">{t("windows.title")}</h1>
      <p className="govuk-body">{t("windows.intro")}</p>
      {canManage ? (
        <Button href="/staff/windows/new">{t("windows.create")}</Button>
      ) : (
        <p className="govuk-body">{t("windows.readOnly")}</p>
      )}
      {windows.length === 0 ? (
        <p className="govuk-body">{t("windows.none")}</p>
      ) : (
        <ScrollRegion label={t("windows.caption")}>
          <Table
            caption={t("windows.caption")}
            captionSize="m"
            firstCellIsHeader
            head={[
              { text: t("windows.columns.name") },
              { text: t("windows.columns.opens") },
              { text: t("windows.columns.closes") },
              { text: t("windows.columns.state") },
              { text: t("windows.columns.submitted"), format: "numeric" },
              { text: t("windows.columns.waiting"), format: "numeric" },
              { text: t("windows.columns.selected"), format: "numeric" },
              { text: t("windows.columns.closed"), format: "numeric" },
              ...(canManage ? [{ text: t("windows.columns.actions") }] : []),
            ]}
            rows={windows.map((w) => [
              {
                text: canManage ? (
                  <Link className="govuk-link" to={`/staff/windows/${w.id}`}>
                    {w.name}
                  </Link>
                ) : (
                  w.name
                ),
              },
              { text: w.opens },
              { text: w.closes },
              {
                text: (
                  <>
                    <Tag colour={stateColour[w.state]}>{t(`windows.states.${w.state}`)}</Tag>
                    {w.state === "paused" && w.pauseReason && (
                      <span className="govuk-body-s govuk-!-display-block govuk-!-margin-top-1 govuk-!-margin-bottom-0">
                        {w.pauseReasonKnown ? t(`windows.pauseReasons.${w.pauseReason}`) : w.pauseReason}
                      </span>
                    )}
                  </>
                ),
              },
              {
                format: "numeric",
                text: (
                  <>
                    {w.cap === null
                      ? t("windows.noCap", { submitted: w.submitted })
                      : t("windows.capUsage", { submitted: w.submitted, cap: w.cap })}
                    {w.capReached && (
                      <>
                        {" "}
                        <Tag colour="orange">{t("windows.capReached")}</Tag>
                      </>
                    )}
                  </>
                ),
              },
              { format: "numeric", text: w.waiting },
              { format: "numeric", text: w.selected },
              { format: "numeric", text: w.closed },
              ...(canManage ? [{ text: <WindowActions window={w} /> }] : []),
            ])}
          />
        </ScrollRegion>
      )}
    </>
  );
}

type ListedWindow = ReturnType<typeof useLoaderData<typeof loader>>["windows"][number];

/** An admin's links for one window; the visually hidden name tells screen readers which window. */
function WindowActions({ window: w }: { window: ListedWindow }) {
  const { t } = useTranslation(["backoffice", "staff"]);
  const hidden = <span className="govuk-visually-hidden"> {w.name}</span>;
  const items = [
    w.actions.edit && (
      <Link key="edit" className="govuk-link" to={`/staff/windows/${w.id}`}>
        {t("windows.change")}
        {hidden}
      </Link>
    ),
    w.actions.pause && (
      <Link key="pause" className="govuk-link" to={`/staff/windows/${w.id}?view=pause`}>
        {t("windows.pause")}
        {hidden}
      </Link>
    ),
    w.actions.resume && (
      <Form key="resume" method="post">
        <CsrfInput />
        <input type="hidden" name="intent" value="resume" />
        <input type="hidden" name="id" value={w.id} />
        <button type="submit" className="app-link-button govuk-link">
          {t("windows.resume")}
          {hidden}
        </button>
      </Form>
    ),
    w.actions.close && (
      <Link key="close" className="govuk-link" to={`/staff/windows/${w.id}?view=close`}>
        {t("windows.close")}
        {hidden}
      </Link>
    ),
  ].filter(Boolean);
  return (
    <ul className="govuk-list govuk-!-margin-bottom-0">
      {items.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a fixed, ordered list of links
        <li key={i}>{item}</li>
      ))}
    </ul>
  );
}
