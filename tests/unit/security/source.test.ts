import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../support/test-env";

// What must never be written in the application (ASVS 5.2, 5.3.4, 5.3.8, 10.2): a scan of app/.
// An exception needs a reason here, next to the file it allows.

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js)$/.test(name) ? [path] : [];
  });
}

const files = sourceFiles(join(repoRoot, "app")).map((path) => ({
  path: relative(repoRoot, path),
  text: readFileSync(path, "utf8"),
}));

const forbidden: { name: string; pattern: RegExp; allowed?: Record<string, string> }[] = [
  {
    name: "raw HTML from data (React escapes everything else)",
    pattern: /dangerouslySetInnerHTML|\.innerHTML\s*=/,
  },
  { name: "code built from strings", pattern: /\beval\s*\(|new Function\s*\(|setTimeout\s*\(\s*["'`]/ },
  { name: "shell commands", pattern: /child_process|\bexecSync\b|\bexecFile\b/ },
  {
    name: "SQL text not bound as parameters",
    pattern: /sql\.raw\s*\(|\.unsafe\s*\(/,
    allowed: {
      // A table alias, typed "e" | "m".
      "app/domain/matching/queue.server.ts": "sql.raw(alias)",
      // A numeric constant of the module (END_LIMIT_MONTHS).
      "app/domain/returns/returns.service.server.ts": [
        "sql.raw(`interval '$",
        "{END_LIMIT_MONTHS} months'`)",
      ].join(""),
    },
  },
  {
    name: "links that open a new window with access to this one",
    pattern: /target="_blank"(?![^>]*rel="noopener)/,
  },
];

describe("the application source", () => {
  it("is found", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.path === "app/root.tsx")).toBe(true);
  });

  it.each(forbidden)("has no $name", ({ pattern, allowed = {} }) => {
    const hits = files.flatMap(({ path, text }) =>
      text
        .split("\n")
        .filter((line) => pattern.test(line))
        .filter((line) => !(allowed[path] && line.includes(allowed[path] as string)))
        .map((line) => `${path}: ${line.trim()}`),
    );
    expect(hits).toEqual([]);
  });

  it("keeps every allowed exception real (remove it when the code goes)", () => {
    for (const { allowed = {} } of forbidden) {
      for (const [path, snippet] of Object.entries(allowed)) {
        expect(files.find((f) => f.path === path)?.text, path).toContain(snippet);
      }
    }
  });
});
