import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useLoaderData, useParams } from "@remix-run/react";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { helperActor, requireHelper } from "~/.server/helper-auth.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { QuestionForm } from "~/components/form/question-form";
import { Button } from "~/components/govuk/button";
import { Ltr } from "~/components/govuk/ltr";
import { NotificationBanner } from "~/components/govuk/notification-banner";
import { Table } from "~/components/govuk/table";
import { Tag } from "~/components/govuk/tag";
import { type HelperLanguage, inviteFields } from "~/domain/helpers/accounts.pages";
import { inviteSchema } from "~/domain/helpers/accounts.schema";
import {
  DuplicateHelperEmailError,
  inviteHelper,
  listTeam,
  reinstateHelper,
  suspendHelper,
} from "~/domain/helpers/accounts.server";
import { useTranslation } from "~/i18n/react";

/** Serves /:lang/helpers/team: a coordinator's team, inviting helpers, suspending access. */
export const handle = { i18n: ["helpers"], titleKey: "helpers:team.title" };

const doneMessages = ["invited", "suspended", "reinstated"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const coordinator = await requireHelper(request, params.lang as string, { coordinator: true });
  const url = new URL(request.url);
  const inviting = url.searchParams.get("view") === "invite";
  const done = url.searchParams.get("done");
  return {
    inviting,
    titleKey: inviting ? "helpers:pages.invite.title" : "helpers:team.title",
    organisation: coordinator.organisationName,
    me: coordinator.id,
    done: doneMessages.find((d) => d === done) ?? null,
    team: inviting ? [] : await listTeam(coordinator.organisationId),
  };
}

/** One form per intent: invite, or suspend / reinstate one member (of this organisation only). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const coordinator = await requireHelper(request, lang, { coordinator: true });
  const { values } = await readForm(request);
  const { intent, helperId, ...fields } = values;
  const actor = helperActor(coordinator, context);
  const self = `/${lang}/helpers/team`;

  if (intent === "invite") {
    const parsed = inviteSchema().safeParse(fields);
    if (!parsed.success) return invalid(fieldErrors(parsed.error), fields);
    const invitee = parsed.data as { name: string; email: string; lang: HelperLanguage };
    try {
      await inviteHelper(coordinator.organisationId, invitee, actor);
    } catch (error) {
      if (error instanceof DuplicateHelperEmailError)
        return invalid({ email: "helpers:fields.email.errors.taken" }, fields);
      throw error;
    }
    return redirect(`${self}?done=invited`, 303);
  }
  if (intent !== "suspend" && intent !== "reinstate") throw new Response("Bad request", { status: 400 });
  const change = intent === "suspend" ? suspendHelper : reinstateHelper;
  const result = await change(coordinator, helperId ?? "", actor);
  if (result === "notFound") throw new Response("Not found", { status: 404 });
  if (result === "self") throw new Response("Bad request", { status: 400 });
  return redirect(`${self}?done=${intent === "suspend" ? "suspended" : "reinstated"}`, 303);
}

const stateColour = {
  invited: "blue",
  active: "green",
  awaitingMfa: "yellow",
  locked: "red",
  suspended: "grey",
} as const;

export default function Team() {
  const { inviting, organisation, me, done, team } = useLoaderData<typeof loader>();
  const { t } = useTranslation("helpers");
  const { lang } = useParams();
  const self = `/${lang}/helpers/team`;

  if (inviting)
    return (
      <QuestionForm
        page={{ slug: "invite", fields: inviteFields }}
        ns="helpers"
        titleKey="helpers:pages.invite.title"
        introKey="helpers:pages.invite.intro"
        values={{ lang: lang ?? "" }}
        back={self}
        hidden={{ intent: "invite" }}
        submitKey="helpers:pages.invite.submit"
      />
    );

  return (
    <>
      {done && <NotificationBanner type="success" heading={t(`team.done.${done}`)} />}
      <span className="govuk-caption-l">
        <Ltr>{organisation}</Ltr>
      </span>
      <h1 className="govuk-heading-l">{t("team.title")}</h1>
      <p className="govuk-body">{t("team.intro")}</p>
      <Button href={`${self}?view=invite`} id="invite-helper">
        {t("team.inviteButton")}
      </Button>
      <Table
        caption={t("team.caption")}
        captionSize="m"
        head={["name", "email", "role", "state", "actions"].map((c) => ({ text: t(`team.columns.${c}`) }))}
        rows={team.map((m) => [
          {
            text: (
              <>
                <Ltr>{m.name}</Ltr>
                {m.id === me && ` ${t("team.you")}`}
              </>
            ),
          },
          { text: <Ltr>{m.email}</Ltr> },
          { text: t(`team.roles.${m.role}`) },
          { text: <Tag colour={stateColour[m.state]}>{t(`team.states.${m.state}`)}</Tag> },
          {
            text:
              m.id === me ? null : (
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="helperId" value={m.id} />
                  <Button
                    name="intent"
                    value={m.state === "suspended" ? "reinstate" : "suspend"}
                    variant={m.state === "suspended" ? "secondary" : "warning"}
                    className="govuk-!-margin-bottom-0"
                  >
                    {t(m.state === "suspended" ? "team.reinstate" : "team.suspend")}
                    <span className="govuk-visually-hidden"> {m.name}</span>
                  </Button>
                </Form>
              ),
          },
        ])}
      />
    </>
  );
}
