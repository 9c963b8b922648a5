import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll } from "vitest";
import { type Database, type DatabaseHandle, openDatabase, setDatabase } from "~/.server/db.server";
import { repoRoot } from "./test-env";

export const migrationsFolder = `${repoRoot}db/migrations`;

/**
 * The PostgreSQL server the suite runs against, from DATABASE_URL; undefined means PGlite.
 * CI must prove the PostgreSQL path, so there a missing DATABASE_URL is an error, never a skip.
 */
export function postgresBaseUrl(): string | undefined {
  const url = process.env.DATABASE_URL;
  if (url?.startsWith("postgres")) return url;
  if (process.env.CI) {
    throw new Error(
      "CI runs the database tests on PostgreSQL: set DATABASE_URL (postgres://postgres@127.0.0.1:5432/test).",
    );
  }
  return undefined;
}

async function withMaintenanceConnection<T>(baseUrl: string, run: (sql: postgres.Sql) => Promise<T>) {
  const sql = postgres(baseUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    return await run(sql);
  } catch (error) {
    const { hostname, port } = new URL(baseUrl);
    throw new Error(`PostgreSQL at ${hostname}:${port || 5432}: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A new, empty PostgreSQL database on the DATABASE_URL server, created from its database. */
export async function createScratchDatabase(baseUrl: string, label: string): Promise<ScratchDatabase> {
  const safeLabel = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, 30);
  const name = `t_${safeLabel}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  await withMaintenanceConnection(baseUrl, (sql) => sql.unsafe(`create database "${name}"`));
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    // FORCE ends connections a crashed test may have left open.
    drop: () =>
      withMaintenanceConnection(baseUrl, (sql) =>
        sql.unsafe(`drop database if exists "${name}" with (force)`),
      ).then(() => {}),
  };
}

export interface TestDatabase {
  readonly handle: DatabaseHandle;
  readonly db: Database;
  /** Closes the connection (idempotent). The database itself goes when the file ends. */
  close(): Promise<void>;
}

/** Opens a freshly migrated database: a scratch PostgreSQL database, or an in-memory PGlite. */
export async function openTestDatabase(
  label = "vitest",
  poolMax = 4,
): Promise<TestDatabase & { dispose(): Promise<void> }> {
  const baseUrl = postgresBaseUrl();
  const scratch = baseUrl ? await createScratchDatabase(baseUrl, label) : undefined;
  let handle: DatabaseHandle;
  try {
    handle = await openDatabase({ url: scratch?.url ?? "memory://", poolMax, migrationsFolder });
  } catch (error) {
    await scratch?.drop();
    throw error;
  }
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= handle.close();
    return closing;
  };
  return {
    handle,
    db: handle.db,
    close,
    async dispose() {
      await close();
      await scratch?.drop();
    },
  };
}

/**
 * Gives the calling test file its own migrated database, installed as the app's database
 * (setDatabase) before its tests and dropped after them. Call it at the top of a file or describe.
 * (Not named use…: Biome would take it for a React hook.)
 */
export function setupTestDatabase(label?: string): TestDatabase {
  let opened: Awaited<ReturnType<typeof openTestDatabase>> | undefined;
  beforeAll(async () => {
    opened = await openTestDatabase(label);
    setDatabase(opened.handle);
  });
  afterAll(async () => {
    await opened?.dispose();
  });
  const get = () => {
    if (!opened) throw new Error("setupTestDatabase(): the database opens in beforeAll; use it inside tests");
    return opened;
  };
  return {
    get handle() {
      return get().handle;
    },
    get db() {
      return get().db;
    },
    close: () => get().close(),
  };
}
