import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "~/.server/db.server";
import { auditLog, centres, staffUsers } from "../../../db/schema";
import { ensureBuild } from "../../support/build";
import { createScratchDatabase, migrationsFolder, postgresBaseUrl } from "../../support/db";
import { type ServerProcess, spawnServer, startServer } from "../../support/server";
import { repoRoot, testSecrets, tmpRoot } from "../../support/test-env";

// The real production process (node build/index.js): shutdown, the embedded database's folder
// lock, and persistence across restarts. Slow-ish (a new PGlite folder runs initdb), so one file.

beforeAll(() => {
  ensureBuild();
});

/**
 * GET with the body read to the end, as a browser does. (A response left unread keeps its
 * connection busy, and the server then waits for it, up to its 10 s limit, before stopping.)
 */
async function get(server: ServerProcess, path: string): Promise<number> {
  const response = await fetch(`${server.url}${path}`);
  await response.text();
  return response.status;
}

/** SIGTERM, then the exit within `ms`; returns the exit and how long it took. */
async function terminate(server: ServerProcess, ms = 5_000) {
  const started = Date.now();
  server.child.kill("SIGTERM");
  const exit = await server.waitForExit(ms);
  return { ...exit, ms: Date.now() - started };
}

async function countRows(dataDir: string) {
  const handle = await openDatabase({ dataDir, migrationsFolder });
  try {
    const count = async (table: typeof staffUsers | typeof centres | typeof auditLog) =>
      (await handle.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]?.n;
    const markers = await handle.db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(sql`${auditLog.action} = 'test.persistence'`);
    return { staff: await count(staffUsers), centres: await count(centres), markers: markers.length };
  } finally {
    await handle.close();
  }
}

describe("embedded database (PGlite data folder)", () => {
  const dataDir = join(tmpRoot, `process-${process.pid}-${Date.now()}`);
  const env = { DATA_DIR: dataDir, SEED_DEMO: "1" };
  const started: ServerProcess[] = [];
  let first: ServerProcess;

  afterAll(async () => {
    await Promise.all(started.map((s) => s.kill()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts on a new folder, migrates, seeds and answers /healthz", async () => {
    first = await startServer(env);
    started.push(first);
    const response = await fetch(`${first.url}/healthz`);
    expect(await response.json()).toMatchObject({ status: "ok", database: "up" });
    expect(existsSync(join(dataDir, "pglite.lock"))).toBe(true);
  });

  it("refuses a second process on the same folder, while the first keeps serving", async () => {
    const second = await spawnServer(env);
    started.push(second);
    const exit = await second.waitForExit(20_000);
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(second.output()).toMatch(/embedded database folder .*pglite is in use by process \d+/);
    expect(await get(first, "/healthz"), first.output()).toBe(200);
    expect(await get(first, "/fr"), first.output()).toBe(200);
  });

  it("stops on SIGTERM with exit code 0 within seconds, and releases the folder", async () => {
    const exit = await terminate(first);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(5_000);
    expect(existsSync(join(dataDir, "pglite.lock"))).toBe(false);
  });

  it("keeps its data across restarts", async () => {
    // What the first run wrote is on disk; add a row of our own while no server runs.
    const handle = await openDatabase({ dataDir, migrationsFolder });
    try {
      expect((await handle.db.select().from(staffUsers)).length).toBe(6);
      await handle.db.insert(auditLog).values({ actorType: "system", action: "test.persistence" });
    } finally {
      await handle.close();
    }

    const restarted = await startServer(env);
    started.push(restarted);
    expect(await get(restarted, "/healthz"), restarted.output()).toBe(200);
    expect(await terminate(restarted)).toMatchObject({ code: 0, signal: null });

    // Seeding again found the data and did nothing; our row survived the second run.
    const after = await countRows(dataDir);
    expect({ staff: after.staff, centres: after.centres, markers: after.markers }).toEqual({
      staff: 6,
      centres: 2,
      markers: 1,
    });
  });
});

describe("demo data", () => {
  it("is refused in production without SEED_DEMO=1: the process stops and no account is made (ASVS 2.5.4)", async () => {
    const dataDir = join(tmpRoot, `seed-refused-${process.pid}-${Date.now()}`);
    const { DATABASE_URL: _url, DATA_DIR: _dir, SEED_DEMO: _seed, ...inherited } = process.env;
    try {
      const run = spawnSync(process.execPath, ["build/index.js", "--seed-only"], {
        cwd: repoRoot,
        env: {
          ...inherited,
          ...testSecrets,
          NODE_ENV: "production",
          NOTIFICATIONS_TRANSPORT: "dev",
          DATA_DIR: dataDir,
        },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(1);
      expect(run.stderr).toContain("Refusing to seed demo data in production without SEED_DEMO=1");
      expect(await countRows(dataDir)).toEqual({ staff: 0, centres: 0, markers: 0 });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(`${dataDir}.lock`, { force: true });
    }
  });
});

describe.runIf(postgresBaseUrl())("PostgreSQL", () => {
  it("stops on SIGTERM with exit code 0 within seconds", async () => {
    const scratch = await createScratchDatabase(postgresBaseUrl() as string, "process");
    const server = await startServer({ DATABASE_URL: scratch.url, SEED_DEMO: "1" }).catch(async (error) => {
      await scratch.drop();
      throw error;
    });
    try {
      expect(server.output()).toMatch(/"database":"postgres"/);
      // The idle keep-alive connection this leaves open must not hold the shutdown.
      expect(await get(server, "/fr"), server.output()).toBe(200);
      const exit = await terminate(server);
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(exit.ms).toBeLessThan(5_000);
    } finally {
      await server.kill();
      await scratch.drop();
    }
  });
});
