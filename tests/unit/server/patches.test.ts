import { createRequire } from "node:module";
import type * as Router from "@remix-run/router";
import type * as RouterServer from "react-router-dom/server";
import { describe, expect, it } from "vitest";

// Loaded as the production server loads them (Node's require, the packages' CommonJS files),
// which are the files .patches/ changes; Vite would pick their ES module builds instead.
const require = createRequire(import.meta.url);
const { matchRoutes } = require("@remix-run/router") as typeof Router;
const { createStaticRouter } = require("react-router-dom/server") as typeof RouterServer;
const { callRouteLoader } = require("@remix-run/server-runtime/dist/data.js") as {
  callRouteLoader(args: Record<string, unknown>): Promise<unknown>;
};

// The patches in .patches/ (applied by `npm install`) make per-request work once-per-process;
// these prove they are applied and that what callers see has not changed.

const routes = [
  {
    id: "lang",
    path: ":lang",
    children: [
      { id: "home", index: true },
      { id: "status", path: "status/:page" },
    ],
  },
  { id: "staff", path: "staff/*" },
];

describe("patched route matching", () => {
  it("matches as before, every time, and each caller gets params of its own", () => {
    const first = matchRoutes(routes, "/fr/status/application");
    expect(first?.map((m) => m.route.id)).toEqual(["lang", "status"]);
    expect(first?.[1]?.params).toEqual({ lang: "fr", page: "application" });
    (first?.[1]?.params as Record<string, string>).page = "changed";
    const second = matchRoutes(routes, "/fr/status/application");
    expect(second?.[1]?.params).toEqual({ lang: "fr", page: "application" });
    expect(second?.[1]?.route).toBe(first?.[1]?.route);
    expect(matchRoutes(routes, "/ar")?.map((m) => m.route.id)).toEqual(["lang", "home"]);
    expect(matchRoutes(routes, "/staff/cases/1")?.[0]?.params).toEqual({ "*": "cases/1" });
    expect(matchRoutes(routes, "/fr/status")).toBeNull();
  });

  it("converts a route tree for rendering once, not on every page", () => {
    const context = {
      basename: "/",
      location: { pathname: "/fr", search: "", hash: "", state: null, key: "default" },
      matches: [],
      loaderData: {},
      actionData: null,
      errors: null,
      statusCode: 200,
      loaderHeaders: {},
      actionHeaders: {},
      activeDeferreds: null,
      _deepestRenderedBoundaryId: null,
    };
    const tree = [{ id: "root", path: "/", children: [{ id: "page", path: "page" }] }];
    expect(createStaticRouter(tree, context).routes).toBe(createStaticRouter(tree, context).routes);
  });
});

describe("patched loader calls", () => {
  it("give every loader the request itself, unless ?index or ?_routes must be taken off", async () => {
    const call = (url: string) => {
      const request = new Request(url);
      const seen = callRouteLoader({
        loadContext: {},
        loader: ({ request: given }: { request: Request }) => given,
        params: {},
        request,
        routeId: "page",
        singleFetch: true,
      }) as Promise<Request>;
      return seen.then((given) => ({ request, given }));
    };
    const plain = await call("http://localhost/fr/status?page=2");
    expect(plain.given).toBe(plain.request);
    const indexed = await call("http://localhost/fr/status?index&_routes=root&page=2");
    expect(indexed.given).not.toBe(indexed.request);
    expect(indexed.given.url).toBe("http://localhost/fr/status?page=2");
  });
});

describe("patched drizzle entity checks", () => {
  it("answer as before for every kind of chunk, asked again and again", async () => {
    const { is, SQL, Column, Table, Param, Placeholder, sql } = await import("drizzle-orm");
    const { PgColumn, PgTable } = await import("drizzle-orm/pg-core");
    const { auditLog } = await import("../../../db/schema");
    expect(is.toString()).toContain("isKnown");
    for (let round = 0; round < 3; round++) {
      expect([is(sql`x`, SQL), is(sql`x`, Column), is(sql`x`, Table)]).toEqual([true, false, false]);
      expect([is(auditLog.action, Column), is(auditLog.action, PgColumn), is(auditLog.action, SQL)]).toEqual([
        true,
        true,
        false,
      ]);
      expect([is(auditLog, Table), is(auditLog, PgTable), is(auditLog, Column)]).toEqual([true, true, false]);
      expect([is(sql.placeholder("p"), Placeholder), is(sql.placeholder("p"), Param)]).toEqual([true, false]);
      expect([is("text", SQL), is(null, SQL), is({}, SQL), is(new Date(), Column)]).toEqual([
        false,
        false,
        false,
        false,
      ]);
    }
  });
});
