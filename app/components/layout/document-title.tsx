import { useMatches } from "@remix-run/react";
import { useContext } from "react";
import { UNSAFE_DataRouterStateContext } from "react-router";
import { useTranslation } from "~/i18n/react";
import { useFormErrorsShown } from "./form-errors";

/**
 * GOV.UK page titles: "<page> – <service> – GOV.UK", prefixed "Error:" while a form shows errors.
 * The page names its title with `handle.titleKey` or `titleKey` in its loader data (or `title`,
 * already translated). Action data is read from the router state because a layout cannot see it
 * otherwise, and the prefix must also be there without JavaScript.
 */
export function DocumentTitle() {
  const { t } = useTranslation("common");
  const matches = useMatches();
  const state = useContext(UNSAFE_DataRouterStateContext);
  const leaf = matches.at(-1);
  const key = (leaf?.handle as { titleKey?: string } | undefined)?.titleKey;
  const data = leaf?.data as { title?: string; titleKey?: string } | null | undefined;
  const titleKey = data?.titleKey ?? key;
  const page = data?.title ?? (titleKey ? t(titleKey) : "");
  const clientErrors = useFormErrorsShown();
  const hasErrors =
    clientErrors ||
    Object.values(state?.actionData ?? {}).some(
      (d) =>
        d &&
        typeof d === "object" &&
        "errors" in d &&
        Object.keys((d as { errors: object }).errors).length > 0,
    );
  const title = [page, t("layout.serviceName"), "GOV.UK"].filter(Boolean).join(" – ");
  return <title>{hasErrors ? `${t("layout.errorPrefix")} ${title}` : title}</title>;
}
