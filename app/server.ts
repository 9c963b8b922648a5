import cluster from "node:cluster";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import * as build from "@remix-run/dev/server-build";
import { broadcastDevReady, createRequestHandler } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { demoAccounts, demoPassword, seedDemo } from "../db/seed";
import { precompressedAssets } from "./.server/assets.server";
import { csrfCookie } from "./.server/csrf.server";
import { databaseBusyMs, openDatabase, setDatabase } from "./.server/db.server";
import { env } from "./.server/env.server";
import { isLanguage, namespaceResource } from "./.server/i18n.server";
import { logger, redactPath } from "./.server/logger.server";
import { purgeExpiredRateLimits } from "./.server/rate-limit.server";
import { remixRequest, sendResponse } from "./.server/remix-http.server";
import {
  allowedMethods,
  bodyLimit,
  nonce,
  noStoreByDefault,
  permissionsPolicy,
  refuseAmbiguousPaths,
  sameOriginWrites,
  sameSiteRedirects,
  securityHeaders,
} from "./.server/security.server";
import { purgeExpiredSessions } from "./.server/session.server";
import { queueAppointmentReminders } from "./domain/appointments/reminders.server";
import { expireOverduePresenceChecks } from "./domain/eoi/presence.service.server";
import { announceMatches } from "./domain/matching/announce.server";
import { transportFromEnv } from "./domain/notifications/transports.server";
import { startWorker } from "./domain/notifications/worker.server";
import { continueReturnImports } from "./domain/returns/import.server";
import { defaultLanguage } from "./i18n/config";

// The production server: Express gives security middleware a home and a clean SIGTERM. It is
// bundled with the Remix build (remix.config.js `server`), so it shares the app's modules.

/** Uploads are at most 10 MB; anything much larger is refused before it is read. */
const MAX_BODY_BYTES = 25 * 1024 * 1024;

/**
 * A request still unanswered after this long, while the oldest database operation in flight has
 * also waited this long (every pooled connection held, or blocked on a lock), is answered 503 with
 * Retry-After instead of queueing without bound (issue 9: within 2 s). Checked every 250 ms.
 */
const DATABASE_STALL_MS = 1_000;
const RETRY_AFTER_SECONDS = 5;

/** "Busy, try again": plain text, without the database, in the language of the page asked for. */
function busyText(path: string): string {
  const segment = path.split("/")[1];
  const lang = isLanguage(segment) ? segment : defaultLanguage;
  // Every language has a common.json (that is what makes it a language: i18n.server.ts).
  return (namespaceResource(lang, "common") as { errors: { busy: string } }).errors.busy;
}

/** Housekeeping run by the notification worker (in the web process or on its own). */
const backgroundJobs = [
  { name: "presence-expiry", everyMs: 60_000, run: (now: Date) => expireOverduePresenceChecks(now) },
  { name: "purge-sessions", everyMs: 15 * 60_000, run: () => purgeExpiredSessions() },
  { name: "purge-rate-limits", everyMs: 15 * 60_000, run: () => purgeExpiredRateLimits() },
  { name: "appointment-reminders", everyMs: 10 * 60_000, run: (now: Date) => queueAppointmentReminders(now) },
  { name: "announce-matches", everyMs: 60_000, run: () => announceMatches() },
  // Resumes a returns import a stopped server left half-done (each run starts without waiting).
  { name: "return-imports", everyMs: 60_000, run: () => continueReturnImports() },
];

async function main() {
  const handle = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    poolMax: env.DB_POOL_MAX,
  });
  setDatabase(handle);
  logger.info({ database: handle.kind }, "database ready");

  if (process.argv.includes("--worker")) {
    // Notification delivery on its own (web processes then run with NOTIFICATIONS_WORKER=off):
    // no HTTP, no seeding. Beside a web process this needs PostgreSQL, as a PGlite folder has one owner.
    const worker = startWorker({ transport: transportFromEnv(), jobs: backgroundJobs });
    const stopWorker = async (signal: string) => {
      logger.info({ signal }, "shutting down");
      await worker.stop();
      await handle.close();
      process.exit(0);
    };
    process.once("SIGTERM", () => void stopWorker("SIGTERM"));
    process.once("SIGINT", () => void stopWorker("SIGINT"));
    return;
  }

  const seedOnly = process.argv.includes("--seed-only");
  // In a cluster the first process has seeded before starting the others.
  const seeding = !cluster.isWorker && (!env.isProduction || env.SEED_DEMO === "1" || seedOnly);
  if (seeding) {
    if (env.isProduction && env.SEED_DEMO !== "1") {
      throw new Error("Refusing to seed demo data in production without SEED_DEMO=1");
    }
    await seedDemo(handle.db);
    if (!env.isProduction) {
      const lines = demoAccounts.map((a) => `  ${a.role.padEnd(17)} ${a.email}`);
      console.log(
        `\nDemo back-office accounts at /staff (password: ${demoPassword}; an authenticator app is set up at first sign-in):\n${lines.join("\n")}\n`,
      );
    }
  }
  if (seedOnly) {
    await handle.close();
    return;
  }
  if (cluster.isPrimary && env.WEB_CONCURRENCY > 1) {
    if (handle.kind !== "postgres") {
      logger.warn("WEB_CONCURRENCY needs PostgreSQL (an embedded database has one owner): one process");
    } else {
      return superviseWebProcesses(handle);
    }
  }

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", Number(process.env.TRUST_PROXY ?? 0));
  app.use(compression());
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.locals.requestId = req.get("x-request-id")?.slice(0, 64) ?? randomUUID();
    res.setHeader("X-Request-Id", res.locals.requestId);
    res.on("finish", () => {
      logger.info({
        requestId: res.locals.requestId,
        method: req.method,
        path: redactPath(req.path),
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      });
    });
    next();
  });
  app.use(nonce, securityHeaders(env.isProduction), permissionsPolicy);
  app.use(allowedMethods, refuseAmbiguousPaths, sameSiteRedirects);
  app.use("/build", precompressedAssets("public/build"));
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y", index: false }));
  // public/ holds the build (above) and the favicon: other paths are not looked for on disk.
  app.get("/favicon.ico", (_req, res) => res.sendFile("favicon.ico", { root: "public", maxAge: "1h" }));
  app.use(sameOriginWrites, csrfCookie, bodyLimit(MAX_BODY_BYTES));
  app.use(noStoreByDefault);
  // One timer looks over every request still unanswered (a timer per request cost more than the check).
  const waiting = new Map<express.Response, { path: string; started: number }>();
  setInterval(() => {
    const now = Date.now();
    if (databaseBusyMs(now) < DATABASE_STALL_MS) return;
    for (const [res, { path, started }] of waiting) {
      if (now - started < DATABASE_STALL_MS) break; // the rest came later still
      waiting.delete(res);
      if (res.headersSent) continue;
      res.locals.shed = true;
      logger.warn({ requestId: res.locals.requestId, path: redactPath(path) }, "database stalled: 503");
      res
        .status(503)
        .set({ "Retry-After": String(RETRY_AFTER_SECONDS), "Content-Type": "text/plain; charset=utf-8" })
        .send(`${busyText(path)}\n`);
    }
  }, 250).unref();
  app.use((req, res, next) => {
    waiting.set(res, { path: req.path, started: Date.now() });
    res.on("close", () => waiting.delete(res));
    next();
  });
  const remix = createRequestHandler(build, build.mode);
  app.all("*", async (req, res, next) => {
    try {
      const response = await remix(remixRequest(req, res), {
        cspNonce: res.locals.cspNonce as string,
        requestId: res.locals.requestId as string,
        clientIp: req.ip ?? "unknown",
        csrfToken: res.locals.csrfToken as string,
      });
      await sendResponse(res, response);
    } catch (error) {
      // Once a 503 went out for a stalled request, the late answer has nowhere to go: drop its error.
      if (!res.locals.shed) next(error);
    }
  });

  const server: Server = app.listen(env.PORT, env.HOST, () => {
    logger.info({ port: env.PORT, pid: process.pid }, `listening on http://localhost:${env.PORT}`);
    if (process.env.REMIX_DEV_ORIGIN) broadcastDevReady(build as never);
  });

  // In a cluster the first process delivers notifications; its web processes only answer requests.
  const worker =
    env.NOTIFICATIONS_WORKER === "on" && !cluster.isWorker
      ? startWorker({ transport: transportFromEnv(), jobs: backgroundJobs })
      : undefined;

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    server.close(async () => {
      await worker?.stop();
      await handle.close();
      process.exit(0);
    });
    server.closeIdleConnections();
    // Requests still running after 10 s are cut off rather than holding the shutdown forever.
    setTimeout(() => {
      server.closeAllConnections();
    }, 10_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

/**
 * WEB_CONCURRENCY web processes sharing the port (node:cluster), for the cores one Node process
 * leaves idle. They hold nothing between requests (sessions, rate limits and claims are in
 * PostgreSQL, as with several machines), so any of them can answer any request. This process
 * delivers notifications, restarts a web process that dies, and on SIGTERM stops them all.
 */
function superviseWebProcesses(handle: { close(): Promise<void> }) {
  const worker =
    env.NOTIFICATIONS_WORKER === "on"
      ? startWorker({ transport: transportFromEnv(), jobs: backgroundJobs })
      : undefined;
  let stopping = false;
  cluster.setupPrimary({ execArgv: webProcessArgs(process.execArgv, process.env.NODE_OPTIONS) });
  for (let i = 0; i < env.WEB_CONCURRENCY; i++) cluster.fork();
  cluster.on("exit", (child, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) void stopped();
      return;
    }
    logger.error({ pid: child.process.pid, code, signal }, "web process died: starting another");
    setTimeout(() => cluster.fork(), 1_000);
  });
  const stopped = async () => {
    await worker?.stop();
    await handle.close();
    process.exit(0);
  };
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const children = Object.values(cluster.workers ?? {});
    if (children.length === 0) void stopped();
    for (const child of children) child?.process.kill(signal);
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

/**
 * Web processes get a young generation twice V8's default (semi-spaces of 32 MB, not 16): most
 * of what a request allocates dies young, and fewer scavenges gave about 6% more submissions a
 * second in paired runs (decision 027), for at most 32 MB more memory a process. An operator's
 * own --max-semi-space-size, on the command line or in NODE_OPTIONS, is kept.
 */
function webProcessArgs(execArgv: string[], nodeOptions = ""): string[] {
  const own = [...execArgv, nodeOptions].some((arg) => arg.includes("--max-semi-space-size"));
  return own ? execArgv : [...execArgv, "--max-semi-space-size=32"];
}

main().catch((error) => {
  logger.fatal({ err: { message: (error as Error).message } }, "failed to start");
  console.error((error as Error).message);
  process.exit(1);
});
