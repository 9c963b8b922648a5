import { type ActionFunctionArgs, data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { requireDraft } from "~/.server/applicant.server";
import { readForm } from "~/.server/form.server";
import { CsrfInput } from "~/components/form/csrf-input";
import { BackLink } from "~/components/govuk/back-link";
import { Button } from "~/components/govuk/button";
import { ErrorSummary } from "~/components/govuk/error-summary";
import { FileUpload } from "~/components/govuk/file-upload";
import { nextPage, previousPage } from "~/domain/eoi/eoi.pages";
import { MAX_FILES_PER_CASE, saveUpload } from "~/domain/eoi/upload.service.server";
import { MAX_DOCUMENT_BYTES, MAX_PHOTO_BYTES } from "~/domain/uploads/file-check";
import { useTranslation } from "~/i18n/react";

export const handle = { i18n: ["apply", "journey"] };

/** One module for both uploads: the identity document and the photograph. */
const kindOf = (request: Request) =>
  new URL(request.url).pathname.endsWith("/upload-photo")
    ? ({ slug: "upload-photo", kind: "photo", maxBytes: MAX_PHOTO_BYTES } as const)
    : ({ slug: "upload-document", kind: "identity_document", maxBytes: MAX_DOCUMENT_BYTES } as const);

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const lang = params.lang as string;
  const { slug, kind } = kindOf(request);
  const { draft, setCookie } = await requireDraft(request, context, lang);
  if (draft.status !== "draft") throw redirect(`/${lang}/apply/confirmation`);
  const previous = previousPage(slug, draft.answers);
  const fromCheck = new URL(request.url).searchParams.get("from") === "check";
  return data(
    {
      slug,
      titleKey: `apply:pages.${slug}.title`,
      current: draft.answers.uploads?.[kind] ?? null,
      back: `/${lang}/apply/${fromCheck ? "check" : previous ? previous.slug : "tasks"}`,
    },
    { headers: { "Set-Cookie": setCookie } },
  );
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const lang = params.lang as string;
  const { slug, kind, maxBytes } = kindOf(request);
  const { draft, actor } = await requireDraft(request, context, lang);
  const fromCheck = new URL(request.url).searchParams.get("from") === "check";
  const next = fromCheck ? null : nextPage(slug, draft.answers);
  const onwards = redirect(
    fromCheck ? `/${lang}/apply/check` : next ? `/${lang}/apply/${next.slug}` : `/${lang}/apply/tasks`,
  );
  const mb = String(maxBytes / 1024 / 1024);
  const failed = (reason: string) =>
    data({ error: reason, mb, max: String(MAX_FILES_PER_CASE) }, { status: 422 });

  // Parsing stops at twice the limit, so an attacker cannot fill memory; sizes in between get the
  // same friendly message from the content check.
  const { values, files, tooLarge } = await readForm(request, { maxFileBytes: maxBytes * 2 });
  if (tooLarge) return failed("too_large");
  const file = files.file;
  if (!file || file.size === 0) {
    if (values.intent === "keep" && draft.answers.uploads?.[kind]) return onwards;
    return failed(file ? "empty" : "required");
  }
  const result = await saveUpload(
    draft.id,
    kind,
    { bytes: new Uint8Array(await file.arrayBuffer()), type: file.type, name: file.name },
    actor,
  );
  return result.ok ? onwards : failed(result.reason);
}

export default function Upload() {
  const { t } = useTranslation(["journey", "apply"]);
  const { lang = "" } = useParams();
  const { slug, current, back } = useLoaderData<typeof loader>();
  const failed = useActionData<{ error?: string; mb?: string; max?: string }>();
  const error = failed?.error
    ? t(`upload.errors.${failed.error}`, { mb: failed.mb, max: failed.max })
    : undefined;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={back} />
        <ErrorSummary errors={error ? [{ href: "#file", text: error }] : []} />
        <h1 className="govuk-heading-l">{t(`apply:pages.${slug}.title`)}</h1>
        <p className="govuk-body">{t(`apply:pages.${slug}.intro`)}</p>
        {current && (
          <p className="govuk-body">
            {t("upload.current")}{" "}
            <a className="govuk-link" href={`/${lang}/apply/files/${current}`}>
              {t("upload.viewCurrent")}
            </a>
            . {t("upload.replace")}
          </p>
        )}
        <Form method="post" encType="multipart/form-data">
          <CsrfInput />
          <FileUpload
            name="file"
            label={t("upload.fileLabel")}
            hint={t(slug === "upload-photo" ? "upload.photoHint" : "upload.documentHint")}
            error={error}
            accept={slug === "upload-photo" ? "image/jpeg,image/png" : "image/jpeg,image/png,application/pdf"}
          />
          {current && <input type="hidden" name="intent" value="keep" />}
          <Button preventDoubleClick>{t("common:components.saveAndContinue")}</Button>
        </Form>
      </div>
    </div>
  );
}
