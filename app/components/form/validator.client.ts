import { createFormControl, type FieldValues, type Resolver } from "react-hook-form";
import {
  type Field,
  flatFields,
  inputNames,
  type PageRule,
  todayIso,
  type Values,
} from "~/domain/forms/fields";
import { pageSchema } from "~/domain/forms/schema";

/**
 * Browser validation for a question page, loaded the first time the form is used: react-hook-form
 * with the page's zod schema (the same one the server action parses with). It attaches to the
 * server-rendered inputs through register()'s ref and handlers, so nothing on the page re-renders
 * or loses what was typed when it arrives.
 */
export interface Validator {
  /** Resolves true when the form may be sent; otherwise errors have been reported. */
  validate(): Promise<boolean>;
  detach(): void;
}

/** What a browser would post: unticked boxes are absent, not `false`. */
function asPosted(values: FieldValues): Values {
  const out: Values = {};
  for (const [key, value] of Object.entries(values)) if (typeof value === "string") out[key] = value;
  return out;
}

export function attachValidator(
  form: HTMLFormElement,
  options: {
    ns: string;
    fields: Field[];
    rule?: PageRule;
    onErrors: (errors: Record<string, string>) => void;
  },
): Validator {
  const schema = pageSchema(options.ns, options.fields, todayIso, options.rule);
  // The zod resolver in a few lines (the first message per field, as the server reports them),
  // rather than @hookform/resolvers: every byte here is downloaded on a cheap phone.
  const resolver: Resolver = async (values) => {
    const result = schema.safeParse(asPosted(values));
    if (result.success) return { values: result.data, errors: {} };
    const errors: Record<string, { type: string; message: string }> = {};
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? "");
      errors[name] ??= { type: issue.code, message: issue.message };
    }
    return { values: {}, errors };
  };
  const names = flatFields(options.fields).flatMap(inputNames);
  const posted = new FormData(form);
  const control = createFormControl({
    // What is on the page now (registering an input would otherwise reset it), and only the page's
    // questions: the CSRF token is not an answer.
    defaultValues: Object.fromEntries(
      names.flatMap((name) => {
        const value = posted.get(name);
        return typeof value === "string" ? [[name, value]] : [];
      }),
    ),
    resolver,
    mode: "onSubmit",
    shouldFocusError: false,
  });
  // GOV.UK: errors appear when the form is sent, then clear as each answer is corrected.
  let sent = false;
  const cleanups: (() => void)[] = [];
  for (const name of names) {
    const { ref, onChange } = control.register(name);
    for (const element of form.querySelectorAll<HTMLInputElement>(`[name="${CSS.escape(name)}"]`)) {
      ref(element);
      const change = (event: Event) => {
        void onChange(event);
        if (sent) void control.trigger();
      };
      element.addEventListener("input", change);
      element.addEventListener("change", change);
      cleanups.push(() => {
        element.removeEventListener("input", change);
        element.removeEventListener("change", change);
      });
    }
  }
  cleanups.push(
    control.subscribe({
      formState: { errors: true },
      callback: ({ errors }) =>
        options.onErrors(
          Object.fromEntries(
            Object.entries(errors ?? {}).map(([name, error]) => [name, String(error?.message ?? "")]),
          ),
        ),
    }),
  );
  return {
    validate: () => {
      sent = true;
      return control.trigger();
    },
    detach: () => {
      for (const cleanup of cleanups) cleanup();
    },
  };
}
