import { type ActionFunctionArgs, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { useParams } from "@remix-run/react";
import { readPreDraft, STATUS_SESSION_MINUTES, signInToCase } from "~/.server/applicant.server";
import { blindIndex } from "~/.server/crypto.server";
import { fieldErrors, invalid, readForm } from "~/.server/form.server";
import { limit } from "~/.server/limits.server";
import { CodeForm } from "~/components/form/code-form";
import { codeSchema } from "~/domain/eoi/eoi.schema";
import { verifySignInCode } from "~/domain/status/account.service.server";

export const handle = { i18n: ["apply", "journey", "status"], titleKey: "journey:verify.title" };

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { reference } = await readPreDraft(request);
  if (!reference) throw redirect(`/${params.lang}/status`);
  return null;
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const { values } = await readForm(request);
  const cookie = await readPreDraft(request);
  if (!cookie.reference) throw redirect(`/${lang}/status`);
  const parsed = codeSchema().safeParse(values);
  if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
  const tooMany =
    (await limit("codeCheckPerClient", context.clientIp)) ??
    (await limit("codeCheckPerReference", blindIndex("limit", cookie.reference)));
  if (tooMany) return tooMany;
  const eoiId = await verifySignInCode(cookie.reference, parsed.data.code as string);
  // Wrong code, expired code, unknown reference, wrong date of birth: one and the same answer.
  if (!eoiId) return invalid({ code: "journey:verify.wrongCode" }, values);
  const headers = new Headers();
  headers.append("Set-Cookie", await signInToCase(request, "statusEoiId", eoiId, STATUS_SESSION_MINUTES));
  headers.append("Set-Cookie", await cookie.clear());
  return redirect(`/${lang}/status/application`, { headers });
}

export default function StatusVerify() {
  const { lang } = useParams();
  return <CodeForm introKey="status:verify.intro" back={`/${lang}/status`} />;
}
