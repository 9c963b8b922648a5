import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ensureBuild } from "./build";
import { createScratchDatabase, postgresBaseUrl } from "./db";
import { repoRoot, testSecrets, tmpRoot } from "./test-env";

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  exited: Promise<Exit>;
  /** Resolves with the exit, or rejects if the process is still running after `ms`. */
  waitForExit(ms: number): Promise<Exit>;
  /** SIGKILL if still running (for afterAll). */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/**
 * Starts `node build/index.js` (run ensureBuild() first) as production does, on a free port, from
 * this checkout or another one (`cwd`). DATABASE_URL and DATA_DIR come only from `env`, never from
 * the test process.
 */
export async function spawnServer(
  env: Record<string, string>,
  nodeArgs: string[] = [],
  cwd = repoRoot,
): Promise<ServerProcess> {
  const port = await freePort();
  const { DATABASE_URL: _url, DATA_DIR: _dir, ...inherited } = process.env;
  const child = spawn(process.execPath, [...nodeArgs, "build/index.js"], {
    cwd,
    env: {
      ...inherited,
      NODE_ENV: "production",
      NOTIFICATIONS_TRANSPORT: "dev",
      ...testSecrets,
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // A server must not outlive the process that started it: left running after a bench that
  // crashed or was stopped, it takes CPU from the next measurement (it did, once). tsx, which
  // runs the benches, turns Ctrl-C and SIGTERM into process.exit, so this covers those too.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.off("exit", killOnExit));
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<Exit>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => output,
    exited,
    waitForExit: (ms) =>
      Promise.race([
        exited,
        sleep(ms).then(() => {
          throw new Error(`still running after ${ms} ms:\n${output}`);
        }),
      ]),
    async kill() {
      if (running()) {
        child.kill("SIGKILL");
        await exited;
      }
    },
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `check` every 100 ms until it holds; throws after `ms`. */
export async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(100);
  }
}

/** Waits until /healthz answers 200; fails early with the server's output if it exits. */
export async function waitForHealthy(server: ServerProcess, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  let exit: Exit | undefined;
  server.exited.then((e) => {
    exit = e;
  });
  while (Date.now() < deadline) {
    if (exit)
      throw new Error(`server exited (${JSON.stringify(exit)}) before it was healthy:\n${server.output()}`);
    const status = await fetch(`${server.url}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await sleep(200);
  }
  throw new Error(`server not healthy after ${ms} ms:\n${server.output()}`);
}

export async function startServer(
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const server = await spawnServer(env, nodeArgs);
  try {
    await waitForHealthy(server);
  } catch (error) {
    await server.kill();
    throw error;
  }
  return server;
}

/**
 * The production build started for one test file, on its own scratch PostgreSQL database when
 * DATABASE_URL is set and on its own embedded one otherwise; `stop` removes both.
 */
export async function startBuiltServer(
  name: string,
  env: Record<string, string> = {},
): Promise<{ server: ServerProcess; stop: () => Promise<void> }> {
  ensureBuild();
  const base = postgresBaseUrl();
  const scratch = base ? await createScratchDatabase(base, name) : undefined;
  const dataDir = join(tmpRoot, `${name}-${process.pid}-${Date.now()}`);
  const server = await startServer({
    DATA_DIR: dataDir,
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
    ...env,
  });
  return {
    server,
    async stop() {
      await server.kill();
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
