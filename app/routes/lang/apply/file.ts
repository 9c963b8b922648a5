import type { LoaderFunctionArgs } from "@remix-run/node";
import { applicantActor, requireDraft } from "~/.server/applicant.server";
import { readUpload } from "~/domain/eoi/upload.service.server";

/**
 * An applicant's own uploaded file. Only files of their own application are found; the response
 * can never run as a page (sandboxed, no sniffing) and is never cached.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { draft } = await requireDraft(request, params.lang as string);
  const file = await readUpload(draft.id, params.id ?? "", applicantActor(context, draft.id));
  if (!file) throw new Response("Not found", { status: 404 });
  return new Response(Buffer.from(file.bytes), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": "inline",
      "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
