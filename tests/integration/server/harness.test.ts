import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureBuild } from "../../support/build";
import { createScratchDatabase, postgresBaseUrl, type ScratchDatabase } from "../../support/db";
import { isAlive, until } from "../../support/server";
import { repoRoot } from "../../support/test-env";

// The benches' harness: a server it started must not outlive a bench stopped with Ctrl-C or a
// kill (run by tsx, as the benches are), or it takes CPU from the next measurement. With web
// processes, so it needs PostgreSQL.

const base = postgresBaseUrl();

const childrenOf = (pid: number) =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);

describe.runIf(base)("a bench stopped by a signal", () => {
  const scratches: ScratchDatabase[] = [];

  afterAll(async () => {
    await Promise.all(scratches.map((scratch) => scratch.drop()));
  });

  it.each(["SIGTERM", "SIGINT"] as const)(
    "stops its server and web processes on %s",
    async (signal) => {
      ensureBuild();
      const scratch = await createScratchDatabase(base as string, "harness");
      scratches.push(scratch);
      const bench = spawn(
        join(repoRoot, "node_modules/.bin/tsx"),
        [join(repoRoot, "tests/integration/server/fixtures/stopped-bench.ts"), scratch.url],
        { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] },
      );
      const exited = new Promise((resolve) => bench.once("exit", resolve));
      const pid = await new Promise<number>((resolve, reject) => {
        let out = "";
        bench.stdout.on("data", (chunk) => {
          out += chunk;
          const found = /server (\d+)/.exec(out);
          if (found) resolve(Number(found[1]));
        });
        bench.once("exit", () => reject(new Error(`the bench ended first: ${out}`)));
      });
      await until(() => childrenOf(pid).length === 2, 10_000);
      const webProcesses = childrenOf(pid);
      expect(webProcesses).toHaveLength(2);

      bench.kill(signal);
      await exited;
      await until(() => ![pid, ...webProcesses].some(isAlive), 10_000);
      expect([pid, ...webProcesses].filter(isAlive)).toEqual([]);
    },
    60_000,
  );
});
