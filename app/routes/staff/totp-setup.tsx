import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { eq } from "drizzle-orm";
import { staffUsers } from "#db/schema";
import { decrypt } from "~/.server/crypto.server";
import { db } from "~/.server/db.server";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { limit } from "~/.server/limits.server";
import { commitSession } from "~/.server/session.server";
import { completeSignIn, PENDING_SIGN_IN_MINUTES, pendingSignIn } from "~/.server/staff-auth.server";
import { QuestionForm } from "~/components/form/question-form";
import { Ltr } from "~/components/govuk/ltr";
import { pendingTotpSetup } from "~/domain/auth/accounts.server";
import { totpFields } from "~/domain/staff/staff.pages";
import { totpSchema } from "~/domain/staff/staff.schema";
import { confirmTotpSetup } from "~/domain/staff/staff.service.server";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["staff"], titleKey: "staff:setUp.title" };

/**
 * First sign-in: the second factor is mandatory. The new secret waits (encrypted) in the pending
 * session until a code from it is typed back, so a half-finished set-up changes nothing.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { session, staffId } = await pendingSignIn(request);
  const [user] = await db()
    .select({ email: staffUsers.email, totpSecretEnc: staffUsers.totpSecretEnc })
    .from(staffUsers)
    .where(eq(staffUsers.id, staffId));
  if (!user) throw redirect("/staff/sign-in");
  if (user.totpSecretEnc) throw redirect("/staff/sign-in/code");
  return data(await pendingTotpSetup(session, "staff", user.email), {
    headers: { "Set-Cookie": await commitSession(session, PENDING_SIGN_IN_MINUTES) },
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { session, staffId, next } = await pendingSignIn(request);
  const secretEnc = session.get("totpSetupSecret") as string | undefined;
  if (!secretEnc) throw redirect("/staff/sign-in/set-up");
  const { values } = await readForm(request);
  const parsed = totpSchema().safeParse(values);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
  const tooMany = await limit("staffCodePerClient", context.clientIp);
  if (tooMany) return tooMany;
  const actor = { type: "staff" as const, id: staffId, ip: context.clientIp, requestId: context.requestId };
  if (!(await confirmTotpSetup(staffId, decrypt(secretEnc), parsed.data.totpCode as string, actor))) {
    return invalid({ totpCode: "staff:code.wrong" }, {});
  }
  return completeSignIn(request, staffId, next);
}

export default function TotpSetUp() {
  const { secret, qr } = useLoaderData<typeof loader>();
  const { t } = useTranslation("staff");
  return (
    <QuestionForm
      page={{ slug: "setUp", fields: totpFields }}
      ns="staff"
      titleKey="staff:setUp.title"
      introKey="staff:setUp.intro"
      values={{}}
      back="/staff/sign-in"
      submitKey="staff:setUp.submit"
      before={
        <ol className="govuk-list govuk-list--number">
          <li>{t("setUp.step1")}</li>
          <li>
            {t("setUp.step2")}
            <br />
            <img src={qr} alt={t("setUp.qrAlt")} width={200} height={200} className="app-qr" />
          </li>
          <li>
            {t("setUp.step3")}{" "}
            <Ltr>
              <code className="app-secret" data-testid="totp-secret">
                {secret}
              </code>
            </Ltr>
          </li>
          <li>{t("setUp.step4")}</li>
        </ol>
      }
    />
  );
}
