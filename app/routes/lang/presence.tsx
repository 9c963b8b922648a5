import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRouteLoaderData, useSubmit } from "@remix-run/react";
import { useEffect, useState } from "react";
import { applicantActor } from "~/.server/applicant.server";
import { readForm } from "~/.server/form.server";
import { fixedT } from "~/.server/i18n.server";
import { getSession } from "~/.server/session.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { Button } from "~/components/govuk/button";
import { Panel } from "~/components/govuk/panel";
import { WarningText } from "~/components/govuk/warning-text";
import { findPresenceLink, recordPresence } from "~/domain/eoi/presence.service.server";
import { formatDateTime } from "~/i18n/format";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["journey"], titleKey: "journey:presence.title" };

/**
 * A browser signed in as a helper never confirms anyone's presence (domain.md Part A §3): only the
 * applicant, in France, on their own phone. Any session carrying a helper counts, even a suspended one.
 */
const isHelperSession = async (request: Request) => (await getSession(request)).has("helperId");

export async function loader({ params, request }: LoaderFunctionArgs) {
  if (await isHelperSession(request)) {
    // Helpers' texts are translated here so the applicant's page never loads their namespace.
    const t = await fixedT(params.lang as string, "caseload");
    const title = t("presence.title");
    return data({ title, helperRefusal: { title, body: t("presence.body") } }, { status: 403 });
  }
  const link = await findPresenceLink(params.token ?? "");
  if (!link) throw new Response("Not found", { status: 404 });
  return {
    helperRefusal: null,
    result: link.result,
    expired: link.expiresAt <= new Date(),
    expiresAt: link.expiresAt.toISOString(),
  };
}

const number = (value: string | undefined, min: number, max: number) => {
  const n = Number(value);
  return value && Number.isFinite(n) && n >= min && n <= max ? n : null;
};

/**
 * Presence in France (domain.md Part A §3): the browser shares its position once; the server
 * decides in or out of France and keeps only that outcome. Only the applicant's own phone can do
 * this: the link went to their own email and mobile.
 */
export async function action({ params, request, context }: ActionFunctionArgs) {
  if (await isHelperSession(request)) throw new Response("Forbidden", { status: 403 });
  const { values } = await readForm(request);
  const lat = number(values.lat, -90, 90);
  const lon = number(values.lon, -180, 180);
  const accuracy = number(values.accuracy, 0, 1e7);
  const reading =
    values.intent === "share" && lat !== null && lon !== null && accuracy !== null
      ? { lat, lon, accuracy }
      : null;
  const result = await recordPresence(params.token ?? "", reading, applicantActor(context));
  if (result === "inconclusive") return { inconclusive: true };
  return redirect(new URL(request.url).pathname);
}

export default function Presence() {
  const { t } = useTranslation("journey");
  const page = useLoaderData<typeof loader>();
  const inconclusive = useActionData<{ inconclusive?: boolean }>()?.inconclusive;
  const root = useRouteLoaderData("root") as { lang: string; csrfToken: string };
  if (page.helperRefusal) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">{page.helperRefusal.title}</h1>
          <p className="govuk-body">{page.helperRefusal.body}</p>
        </div>
      </div>
    );
  }
  const { result, expired, expiresAt } = page;
  if (result) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {result === "in_france" ? (
            <Panel title={t("presence.results.in_france.title")}>
              {t("presence.results.in_france.body")}
            </Panel>
          ) : (
            <>
              <h1 className="govuk-heading-l">{t(`presence.results.${result}.title`)}</h1>
              <p className="govuk-body">{t(`presence.results.${result}.body`)}</p>
              <p className="govuk-body">{t("presence.unverifiedMeaning")}</p>
            </>
          )}
        </div>
      </div>
    );
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">{t("presence.title")}</h1>
        {expired ? (
          <WarningText>{t("presence.expired")}</WarningText>
        ) : (
          <>
            <p className="govuk-body">
              {t("presence.intro", { date: formatDateTime(expiresAt, root.lang) })}
            </p>
            <p className="govuk-body">{t("presence.privacy")}</p>
            {inconclusive && <WarningText>{t("presence.inconclusive")}</WarningText>}
            <ShareLocation csrf={root.csrfToken} />
            <noscript>
              <WarningText>{t("presence.noJs")}</WarningText>
            </noscript>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="none" />
              <p className="govuk-body">{t("presence.cannotShareExplain")}</p>
              <Button variant="secondary">{t("presence.cannotShare")}</Button>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}

/** Shown only once JavaScript runs, since reading the location needs it. */
function ShareLocation({ csrf }: { csrf: string }) {
  const { t } = useTranslation("journey");
  const submit = useSubmit();
  const [ready, setReady] = useState(false);
  const [state, setState] = useState<"idle" | "locating" | "denied">("idle");
  useEffect(() => setReady(!!navigator.geolocation), []);
  if (!ready) return null;
  const share = () => {
    setState("locating");
    navigator.geolocation.getCurrentPosition(
      (p) =>
        submit(
          {
            csrf,
            intent: "share",
            lat: String(p.coords.latitude),
            lon: String(p.coords.longitude),
            accuracy: String(p.coords.accuracy),
          },
          { method: "post" },
        ),
      () => setState("denied"),
      { enableHighAccuracy: true, timeout: 30_000, maximumAge: 0 },
    );
  };
  return (
    <>
      {state === "denied" && <WarningText>{t("presence.denied")}</WarningText>}
      <p className="govuk-body" role="status">
        {state === "locating" ? t("presence.locating") : ""}
      </p>
      <Button type="button" onClick={share} disabled={state === "locating"}>
        {t("presence.share")}
      </Button>
    </>
  );
}
