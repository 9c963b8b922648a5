import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff, staffActor } from "~/.server/staff-auth.server";
import { uploadedFileResponse } from "~/.server/storage.server";
import { readCaseDocument } from "~/domain/cases/cases.service.server";

/**
 * A case's uploaded file for a caseworker; each view is audited (upload.viewed, subject the case).
 * A file of another case is not found.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, "documents.view");
  const file = await readCaseDocument(params.id ?? "", params.uploadId ?? "", staffActor(staff, context));
  if (!file) throw new Response("Not found", { status: 404 });
  return uploadedFileResponse(file);
}
