import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDraft } from "~/.server/applicant.server";
import { uploadedFileResponse } from "~/.server/storage.server";
import { readUpload } from "~/domain/eoi/upload.service.server";

/**
 * An applicant’s own uploaded file: only files of their own application are found.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { draft, actor } = await requireDraft(request, context, params.lang as string);
  const file = await readUpload(draft.id, params.id ?? "", actor);
  if (!file) throw new Response("Not found", { status: 404 });
  return uploadedFileResponse(file);
}
