import {
  data,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { csrfField, verifyCsrf } from "./csrf.server";

/** Anonymous forms carry an empty field bots tend to fill in; a filled one is refused. */
export const honeypotField = "website";

/**
 * Reads a posted form, verifies its CSRF token (and honeypot), and returns the other fields as
 * strings. Files are returned separately so the strict page schemas only see text inputs.
 */
export async function readForm(
  request: Request,
  options: { maxFileBytes?: number } = {},
): Promise<{ values: Record<string, string>; files: Record<string, File>; tooLarge?: boolean }> {
  let form: FormData;
  try {
    form = options.maxFileBytes
      ? await unstable_parseMultipartFormData(
          request,
          unstable_createMemoryUploadHandler({ maxPartSize: options.maxFileBytes }),
        )
      : await request.formData();
  } catch (error) {
    // An oversize file stops the parse; the CSRF token was sent before it, but the form is lost,
    // so the caller answers with a "file too large" message rather than a crash.
    if (error instanceof MaxPartSizeExceededError) return { values: {}, files: {}, tooLarge: true };
    throw new Response("Bad request", { status: 400 });
  }
  verifyCsrf(request, form);
  if (typeof form.get(honeypotField) === "string" && form.get(honeypotField) !== "") {
    throw new Response("Bad request", { status: 400 });
  }
  const values: Record<string, string> = {};
  const files: Record<string, File> = {};
  for (const [key, value] of form.entries()) {
    if (key === csrfField || key === honeypotField) continue;
    if (typeof value === "string") values[key] = value;
    else files[key] = value;
  }
  return { values, files };
}

/** Field errors from a failed parse: the first message (an i18n key) per field, in field order. */
export function fieldErrors(error: {
  issues: { path: PropertyKey[]; message: string }[];
}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "");
    if (key && !(key in out)) out[key] = issue.message;
  }
  return out;
}

/** The 422 answer of a form with errors: the messages (i18n keys) and what the user typed. */
export function invalid(errors: Record<string, string>, values: Record<string, string | undefined>) {
  return data({ errors, values }, { status: 422 });
}
