import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./test-env";

/** What goes into build/index.js; locales and migrations are read at run time. */
const sources = ["app", "db", "remix.config.js", "package.json"];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Builds the production server (`remix build`) unless build/index.js is newer than every source
 * file. For tests that start the real server process.
 */
export function ensureBuild(): void {
  const target = join(repoRoot, "build/index.js");
  const built =
    existsSync(target) && existsSync(join(repoRoot, "public/build")) ? statSync(target).mtimeMs : 0;
  if (built > Math.max(...sources.map((s) => newestMtime(join(repoRoot, s))))) return;
  try {
    execFileSync("npx", ["remix", "build"], {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: "production" },
      stdio: "pipe",
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`remix build failed:\n${stdout ?? ""}${stderr ?? ""}`);
  }
}
