import remixConfig from "../../remix.config.js";

export interface RouteEntry {
  /** The URL pattern, from the root without its slash (":lang/apply/q/:slug"; "" for "/"). */
  path: string;
  /** The route module, relative to app/. */
  file: string;
}

/** The URL map of remix.config.js, read by running its routes() with a recording defineRoutes. */
export function configuredRoutes(): RouteEntry[] {
  const found: RouteEntry[] = [];
  const parents: string[] = [];
  type Define = (path: string, file: string, options?: unknown, children?: () => void) => void;
  const define = (fn: (route: Define) => void) => {
    const route: Define = (path, file, options, children) => {
      const nested = typeof options === "function" ? (options as () => void) : children;
      const index = typeof options === "object" && (options as { index?: boolean }).index;
      const full = [...parents, path].filter((p) => p !== "").join("/");
      found.push({ path: index && full === parents.join("/") ? `${full}/` : full, file });
      if (nested) {
        parents.push(path);
        nested();
        parents.pop();
      }
    };
    fn(route);
    return {};
  };
  (remixConfig as { routes: (d: typeof define) => unknown }).routes(define);
  // The root index ("/") has an empty path.
  return found.map((r) => (r.path === "/" ? { ...r, path: "" } : r));
}
