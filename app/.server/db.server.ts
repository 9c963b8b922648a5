import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type SQL, sql } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "../../db/schema";

/**
 * Both drivers expose the same drizzle query builder; the app is typed against the postgres-js
 * flavour so one code path serves PostgreSQL in production and PGlite for a newcomer.
 */
export type Database = PostgresJsDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** What repository functions take: the database or an open transaction. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  kind: "postgres" | "pglite";
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… for PostgreSQL; otherwise a PGlite data folder, or "memory://". */
  url?: string;
  dataDir?: string;
  poolMax?: number;
  migrationsFolder?: string;
}

const defaultMigrations = () => resolve(process.cwd(), "db/migrations");

export class DataFolderLockedError extends Error {}

/**
 * PGlite has no lock of its own and two processes writing one folder corrupt it, so the folder
 * gets a lock file holding the owner's pid. A lock left by a dead process is taken over.
 */
function lockDataFolder(dir: string): () => void {
  const lockFile = `${resolve(dir)}.lock`;
  mkdirSync(dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(lockFile, "utf8"));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new DataFolderLockedError(
          `The embedded database folder ${dir} is in use by process ${owner}. Stop that process, or set DATA_DIR to another folder.`,
        );
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new DataFolderLockedError(`Could not lock ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrations();
  if (options.url?.startsWith("postgres")) {
    const client = postgres(options.url, {
      max: options.poolMax ?? 10,
      connect_timeout: 5,
      idle_timeout: 30,
      onnotice: () => {},
    });
    const db = drizzlePostgres(client, { schema });
    await migratePostgres(db, { migrationsFolder });
    return {
      db,
      kind: "postgres",
      ping: async () => {
        await db.execute(sql`select 1`);
      },
      close: () => client.end({ timeout: 5 }),
    };
  }

  const memory = options.url === "memory://";
  const dir = resolve(options.dataDir ?? ".data", "pglite");
  const unlock = memory ? () => {} : lockDataFolder(dir);
  try {
    if (!memory) mkdirSync(dirname(dir), { recursive: true });
    const client = new PGlite(memory ? undefined : dir);
    await client.waitReady;
    const pglite = drizzlePglite(client, { schema });
    await migratePglite(pglite, { migrationsFolder });
    let closed = false;
    return {
      db: pglite as unknown as Database,
      kind: "pglite",
      ping: async () => {
        if (closed) throw new Error("database closed");
        await client.query("select 1");
      },
      close: async () => {
        closed = true;
        await client.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

let current: DatabaseHandle | undefined;

/** The process-wide database, opened once by the server (or a test) with setDatabase(). */
export function db(): Database {
  if (!current) throw new Error("Database not opened: call setDatabase() first");
  return current.db;
}

export function databaseHandle(): DatabaseHandle {
  if (!current) throw new Error("Database not opened");
  return current;
}

export function setDatabase(handle: DatabaseHandle): void {
  current = handle;
}

/** Runs raw SQL and returns its rows: postgres-js returns the rows, PGlite an object holding them. */
export async function rowsOf<T>(executor: Executor, query: SQL): Promise<T[]> {
  const result = await executor.execute(query);
  return (Array.isArray(result) ? result : (result as unknown as { rows: T[] }).rows) as T[];
}
