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
    prepareRepeatedQueries(client);
    trackInFlight(client);
    const db = drizzlePostgres(client, { schema });
    await migrateOneAtATime(options.url, () => migratePostgres(db, { migrationsFolder }));
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

/**
 * drizzle sends its queries unnamed, which postgres-js runs in two round trips each (parse and
 * describe, then bind and execute) and PostgreSQL plans afresh every time. Named, a query is
 * parsed once per connection and then takes one round trip. Bulk statements (seeds, imports),
 * whose text changes with their row count, stay unnamed rather than be kept by every connection.
 * Transactions and savepoints run on an instance of their own, which gets the same treatment.
 */
function prepareRepeatedQueries(instance: postgres.Sql | postgres.TransactionSql): void {
  const unsafe = instance.unsafe.bind(instance);
  instance.unsafe = ((query, parameters, options) =>
    unsafe(query, parameters, {
      ...options,
      prepare: (parameters?.length ?? 0) <= MAX_PREPARED_PARAMETERS,
    })) as typeof instance.unsafe;
  const scoped = instance as unknown as Record<
    "begin" | "savepoint",
    ((...args: unknown[]) => unknown) | undefined
  >;
  for (const method of ["begin", "savepoint"] as const) {
    const original = scoped[method]?.bind(instance);
    if (!original) continue;
    scoped[method] = (...args: unknown[]) => {
      const body = args.pop() as (inner: postgres.TransactionSql) => unknown;
      return original(...args, (inner: postgres.TransactionSql) => {
        prepareRepeatedQueries(inner);
        return body(inner);
      });
    };
  }
}
const MAX_PREPARED_PARAMETERS = 100;

/**
 * Start times of the PostgreSQL operations in flight (queries, and whole transactions), oldest
 * first. A query waiting for a pooled connection, or blocked on a lock, stays here: app/server.ts
 * answers 503 rather than letting requests queue behind a stuck database (issue 9).
 */
const inFlight = new Map<number, number>();
let lastOperation = 0;

/** How long the oldest database operation in flight has been running or waiting; 0 if none. */
export function databaseBusyMs(now = Date.now()): number {
  const oldest = inFlight.values().next().value;
  return oldest === undefined ? 0 : now - oldest;
}

/**
 * Wraps the two entry points drizzle uses, `unsafe` (every query outside a transaction; the query
 * runs when awaited, so the wrapper hooks its `then`) and `begin` (a whole transaction).
 */
function trackInFlight(client: postgres.Sql): void {
  const unsafe = client.unsafe.bind(client);
  client.unsafe = ((...args: Parameters<typeof unsafe>) => {
    const query = unsafe(...args);
    const started = Date.now();
    type Then = (
      onFulfilled?: (value: unknown) => unknown,
      onRejected?: (error: unknown) => unknown,
    ) => unknown;
    const pending = query as unknown as { then: Then };
    const then = pending.then;
    // biome-ignore lint/suspicious/noThenProperty: postgres-js runs a query when its then is called; this wraps it.
    pending.then = function (this: unknown, onFulfilled, onRejected) {
      const id = ++lastOperation;
      inFlight.set(id, started);
      return then.call(
        this,
        (value) => {
          inFlight.delete(id);
          return onFulfilled ? onFulfilled(value) : value;
        },
        (error) => {
          inFlight.delete(id);
          if (onRejected) return onRejected(error);
          throw error;
        },
      );
    };
    return query;
  }) as typeof client.unsafe;
  const begin = client.begin.bind(client);
  client.begin = ((...args: Parameters<typeof begin>) => {
    const id = ++lastOperation;
    inFlight.set(id, Date.now());
    return (begin as (...a: unknown[]) => Promise<unknown>)(...args).finally(() => inFlight.delete(id));
  }) as typeof client.begin;
}

/**
 * Several instances starting together (a scale-out, a rolling deploy with a new migration) would
 * otherwise run the same migrations at once, and all but one fail on "already exists": a session
 * advisory lock, on a connection of its own, lets one migrate while the others wait and then find
 * nothing left to do.
 */
async function migrateOneAtATime(url: string, migrate: () => Promise<void>): Promise<void> {
  const lock = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await lock`select pg_advisory_lock(hashtext('portal:migrations'))`;
    await migrate();
  } finally {
    await lock.end({ timeout: 5 });
  }
}

/**
 * The unique constraint a failed write violated, or null. drizzle wraps the driver's error;
 * postgres.js names the constraint `constraint_name`, PGlite `constraint`.
 */
export function violatedUniqueConstraint(error: unknown): string | null {
  type DbError = { code?: string; constraint_name?: string; constraint?: string; cause?: unknown };
  for (let e = error as DbError | undefined; e; e = e.cause as DbError | undefined) {
    if (e.code === "23505") return e.constraint_name ?? e.constraint ?? null;
  }
  return null;
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

/** What drizzle's query builders prepare into (an internal method of theirs). */
interface PreparedQuery<T> {
  execute(values?: Record<string, unknown>): Promise<T>;
}

/** `{ name: sql.placeholder("name") }` for each name: the values of a reusable insert. */
export function placeholders<const K extends string>(...names: K[]) {
  return Object.fromEntries(names.map((name) => [name, sql.placeholder(name)])) as {
    [N in K]: ReturnType<typeof sql.placeholder<N>>;
  };
}

/**
 * A query whose SQL drizzle builds once, with `sql.placeholder`s, and which then runs with new
 * values on any executor, a transaction included. drizzle's own prepare() binds a query to the
 * connection it was built on (drizzle-orm#2826), and building SQL is most of the CPU a small query
 * costs in drizzle: the queries of a submission use this (issue 9, decision 021).
 * A placeholder in an insert's or update's values goes through its column's mapping; one in a
 * condition reaches the driver as it is: dates there go as ISO strings.
 */
export function reusable<T>(build: (executor: Executor) => PromiseLike<T>) {
  const shaped = reusableShapes(() => "", build);
  return (executor: Executor, values: Record<string, unknown> = {}): Promise<T> =>
    shaped(executor, undefined, values);
}

/**
 * `reusable` for a query whose SQL depends on a few arguments (the columns an update sets, how
 * many rows an insert adds): one template per shape, named by `keyOf`. Callers keep the shapes
 * few: each is kept for the life of the process.
 */
export function reusableShapes<S, T>(
  keyOf: (shape: S) => string,
  build: (executor: Executor, shape: S) => PromiseLike<T>,
) {
  // Per driver (postgres-js and PGlite prepare differently) and shape, bound to no connection.
  const templates = new Map<unknown, Map<string, PreparedQuery<T>>>();
  return (executor: Executor, shape: S, values: Record<string, unknown> = {}): Promise<T> => {
    const session = executor._.session as unknown as { client: unknown };
    let ofDriver = templates.get(session.constructor);
    if (!ofDriver) {
      ofDriver = new Map();
      templates.set(session.constructor, ofDriver);
    }
    const key = keyOf(shape);
    let template = ofDriver.get(key);
    if (!template) {
      template = (build(executor, shape) as unknown as { _prepare(): PreparedQuery<T> })._prepare();
      ofDriver.set(key, template);
    }
    // The template with this executor's connection (drizzle's prepared queries read this.client).
    const query: PreparedQuery<T> = Object.create(template);
    (query as unknown as { client: unknown }).client = session.client;
    return query.execute(values);
  };
}
