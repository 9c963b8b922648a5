/**
 * Classic Remix compiler. The URL map is explicit (file-based discovery is off): every public page
 * lives under /:lang, and the Express server in app/server.ts is bundled with the app into
 * build/index.js so both share one module graph (one database pool, one logger).
 * @type {import('@remix-run/dev').AppConfig}
 */
export default {
  ignoredRouteFiles: ["**/*"],
  server: "./app/server.ts",
  serverBuildPath: "build/index.js",
  serverModuleFormat: "esm",
  serverPlatform: "node",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
  routes(defineRoutes) {
    return defineRoutes((route) => {
      route("/", "routes/root-redirect.tsx", { index: true });
      route("healthz", "routes/resources/healthz.ts");
      route("locales/:lang/:ns", "routes/resources/locales.ts");
      route(":lang", "routes/lang/layout.tsx", () => {
        route("", "routes/lang/index.tsx", { index: true });
        for (const page of ["privacy", "accessibility", "cookies"]) {
          route(page, "routes/lang/content.tsx", { id: `content-${page}` });
        }
      });
      route("*", "routes/not-found.tsx");
    });
  },
};
