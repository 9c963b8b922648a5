import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { ensureBuild } from "../../support/build";
import { createScratchDatabase, postgresBaseUrl, type ScratchDatabase } from "../../support/db";
import { isAlive, type ServerProcess, startServer, until } from "../../support/server";

// WEB_CONCURRENCY (issue 9): one Node process per core on one machine. Needs PostgreSQL, as the
// processes share it: skipped without DATABASE_URL locally, an error in CI (postgresBaseUrl).

const base = postgresBaseUrl();

describe.runIf(base)("several web processes (WEB_CONCURRENCY)", () => {
  let scratch: ScratchDatabase;
  let server: ServerProcess;

  afterAll(async () => {
    await server?.kill();
    await scratch?.drop();
  });

  it("starts that many, replaces one that dies, and stops them all on SIGTERM", async () => {
    ensureBuild();
    scratch = await createScratchDatabase(base as string, "cluster");
    server = await startServer({ DATABASE_URL: scratch.url, WEB_CONCURRENCY: "2", LOG_LEVEL: "info" });
    const webProcesses = () =>
      [...server.output().matchAll(/"pid":(\d+),"msg":"listening on/g)].map((m) => Number(m[1]));
    await until(() => webProcesses().length === 2);
    const [first, second] = webProcesses() as [number, number];
    expect(first).not.toBe(second);
    expect([first, second]).not.toContain(server.child.pid);
    // Each web process runs with the larger young generation (decision 027), a replacement too.
    const flags = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    expect(flags(first)).toContain("--max-semi-space-size=32");
    expect(flags(server.child.pid as number)).not.toContain("--max-semi-space-size=32");

    process.kill(first, "SIGKILL");
    await until(() => webProcesses().length === 3);
    const replacement = webProcesses()[2] as number;
    expect(isAlive(first)).toBe(false);
    expect(flags(replacement)).toContain("--max-semi-space-size=32");
    for (let i = 0; i < 10; i++) expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    server.child.kill("SIGTERM");
    expect(await server.waitForExit(15_000)).toEqual({ code: 0, signal: null });
    expect(isAlive(second)).toBe(false);
    expect(isAlive(replacement)).toBe(false);
  }, 90_000);
});
