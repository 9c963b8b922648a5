import { execFile } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./server";
import { tmpRoot } from "./test-env";

// A PostgreSQL cluster of the test's own, for fault tests that stop the database abruptly: the
// shared server on 127.0.0.1:5432 must never be stopped, as other suites run against it.

const run = promisify(execFile);

/** The directory holding initdb and pg_ctl (the newest installed PostgreSQL), or undefined. */
export function postgresBinaries(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin/pg_ctl")) && existsSync(join(root, v, "bin/initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

/**
 * Whether the fault tests can run. In CI they must: missing binaries are an error there, never a
 * skip. Elsewhere they follow the PostgreSQL-only convention (tests/support/db.ts) and are skipped.
 */
export function privatePostgresAvailable(): boolean {
  if (postgresBinaries()) return true;
  if (process.env.CI) {
    throw new Error(
      "CI runs the fault tests on a private PostgreSQL cluster: install PostgreSQL (initdb and pg_ctl under /usr/lib/postgresql/*/bin).",
    );
  }
  return false;
}

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** A URL for another database on this cluster. */
  urlFor(database: string): string;
  start(): Promise<void>;
  /** `pg_ctl stop -m immediate`: the server processes quit at once, as in a crash. */
  crash(): Promise<void>;
  /** Stops the cluster (fast) and deletes its data directory. */
  destroy(): Promise<void>;
}

/** Initialises and starts a throwaway cluster under tests/.tmp, on a free port. */
export async function startPrivatePostgres(label = "faults"): Promise<PrivatePostgres> {
  const bin = postgresBinaries();
  if (!bin) throw new Error("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin");
  const dir = join(tmpRoot, `pg-${label}-${process.pid}-${Date.now().toString(36)}`);
  const data = join(dir, "data");
  mkdirSync(dir, { recursive: true });
  // PostgreSQL refuses to run as root: then it runs as the postgres user, which owns the folder.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
    // The postgres user must be able to pass through tests/.tmp (traverse only, no listing).
    chmodSync(tmpRoot, statSync(tmpRoot).mode | 0o001);
  }
  const pg = (tool: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", join(bin, tool), ...args], { timeout: 60_000 })
      : run(join(bin, tool), args, { timeout: 60_000 });
  const port = await freePort();
  await pg("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]).catch(
    (error) => {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    },
  );
  const options = [
    "-c listen_addresses=127.0.0.1",
    `-c port=${port}`,
    `-c unix_socket_directories=${dir}`,
    "-c fsync=on",
    "-c max_connections=60",
    "-c shared_buffers=32MB",
  ].join(" ");
  const start = async () => {
    await pg("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-w", "-t", "60", "-o", options, "start"]);
  };
  try {
    await start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    urlFor: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start,
    async crash() {
      await pg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    },
    async destroy() {
      await pg("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
