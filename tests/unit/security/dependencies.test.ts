import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../support/test-env";

// `npm audit` cannot reach its service here, so this test is the audit: every installed copy of
// each package below (nested copies included) must be at or above the first version that fixes the
// advisories listed. How to update the table: docs/security/asvs-l2.md, "Dependency versions".

interface Rule {
  /**
   * The lowest safe version, or one per major line ("0.1.12", "8.0.0"): a copy is compared with
   * the entry of its own major line, and a copy of a line not listed must reach the highest entry.
   */
  min: string | string[];
  /** Why: the advisories this minimum fixes, or "reviewed floor" when none is known. */
  why: string;
  /**
   * "production": the advisory concerns a feature only build and test tools use (esbuild's dev
   * server, tar extraction by the Remix CLI), so copies npm marks dev-only may be older; a copy that
   * reaches the production tree must still meet the minimum.
   */
  scope?: "production";
}

const REMIX = { min: "2.17.3", why: "CVE-2026-22030 (CSRF, server-runtime), CVE-2026-21884 (XSS, react)" };

const minimums: Record<string, Rule> = {
  "@remix-run/node": REMIX,
  "@remix-run/react": REMIX,
  "@remix-run/express": REMIX,
  "@remix-run/server-runtime": REMIX,
  "@remix-run/dev": REMIX,
  "@remix-run/serve": REMIX,
  // Remix 2.17.5 pins 6.30.4 and 1.23.3: package.json's "overrides" lift them to the fixed releases.
  "@remix-run/router": {
    min: "1.23.4",
    why: "CVE-2026-22029, GHSA-2j2x-hqr9-3h42, CVE-2026-53668 (open redirect to XSS, fixed in its resolveTo)",
  },
  "react-router": {
    min: ["6.30.6", "7.14.1"],
    why: "GHSA-2j2x-hqr9-3h42, CVE-2026-53668 (GHSA-jjmj-jmhj-qwj2)",
  },
  "react-router-dom": { min: ["6.30.6", "7.14.1"], why: "CVE-2026-53668 (GHSA-jjmj-jmhj-qwj2)" },
  express: { min: ["4.21.2", "5.0.1"], why: "CVE-2024-43796 (res.redirect XSS), CVE-2024-52798" },
  cookie: { min: "0.7.0", why: "CVE-2024-47764 (cookie name/path/domain injection)" },
  "path-to-regexp": {
    min: ["0.1.12", "1.9.0", "3.3.0", "6.3.0", "8.0.0"],
    why: "CVE-2024-45296, CVE-2024-52798 (ReDoS)",
  },
  "body-parser": { min: ["1.20.3", "2.2.1"], why: "CVE-2024-45590 (DoS), CVE-2025-13466" },
  send: { min: "0.19.0", why: "CVE-2024-43799 (template injection)" },
  "serve-static": { min: "1.16.0", why: "CVE-2024-43800" },
  qs: { min: "6.14.1", why: "CVE-2025-15284 (arrayLimit bypass, DoS)" },
  "on-headers": { min: "1.1.0", why: "CVE-2025-7339" },
  compression: { min: "1.8.1", why: "on-headers CVE-2025-7339" },
  postgres: { min: "3.4.9", why: "reviewed floor (no advisory known)" },
  "drizzle-orm": { min: "0.45.2", why: "CVE-2026-39356 (SQL injection via identifiers)" },
  zod: { min: "3.22.3", why: "CVE-2023-4316 (email regex ReDoS)" },
  i18next: { min: "23.16.8", why: "reviewed floor (no advisory known)" },
  "react-hook-form": { min: "7.92.0", why: "reviewed floor (no advisory known)" },
  helmet: { min: "8.1.0", why: "reviewed floor (no advisory known)" },
  vite: { min: ["5.4.21", "6.4.1"], why: "CVE-2025-62522, CVE-2025-58751/58752 (dev server fs bypass)" },
  esbuild: {
    min: "0.25.0",
    why: "GHSA-67mh-4wv8-2f99 (dev server answers any origin); the Remix compiler's 0.17 never serves",
    scope: "production",
  },
  ws: { min: ["7.5.10", "8.17.1"], why: "CVE-2024-37890 (DoS by many headers)" },
  tar: {
    min: "7.5.19",
    why: "node-tar path traversal and DoS advisories up to CVE-2026-59873; only the Remix CLI's cacache uses 6.x",
    scope: "production",
  },
  "tar-fs": { min: ["2.1.4", "3.1.1"], why: "CVE-2025-48387, CVE-2025-59343" },
  "cross-spawn": { min: ["6.0.6", "7.0.5"], why: "CVE-2024-21538 (ReDoS)" },
  braces: { min: "3.0.3", why: "CVE-2024-4068" },
  micromatch: { min: "4.0.8", why: "CVE-2024-4067" },
  "brace-expansion": { min: ["1.1.12", "2.0.2"], why: "CVE-2025-5889" },
  nanoid: { min: ["3.3.8", "5.0.9"], why: "CVE-2024-55565" },
  undici: { min: ["5.29.0", "6.23.0", "7.18.0"], why: "CVE-2025-22150, CVE-2025-47279, CVE-2026-22036" },
  axios: { min: "1.12.0", why: "CVE-2025-58754 (data: URI DoS); used by notifications-node-client" },
  "follow-redirects": { min: "1.15.6", why: "CVE-2024-28849" },
  "form-data": { min: ["2.5.4", "3.0.4", "4.0.4"], why: "CVE-2025-7783 (predictable boundary)" },
  jsonwebtoken: { min: "9.0.0", why: "CVE-2022-23529 and others" },
  semver: { min: ["5.7.2", "6.3.1", "7.5.2"], why: "CVE-2022-25883" },
  "@babel/helpers": { min: "7.26.10", why: "CVE-2025-27789" },
  "@babel/runtime": { min: "7.26.10", why: "CVE-2025-27789" },
  "estree-util-value-to-estree": {
    min: "3.3.3",
    why: "CVE-2025-32014; 1.x only inside @remix-run/dev's MDX compiler, on our own files",
    scope: "production",
  },
  rollup: { min: ["3.29.5", "4.22.4"], why: "CVE-2024-47068" },
  postcss: { min: "8.4.31", why: "CVE-2023-44270" },
  json5: { min: ["1.0.2", "2.2.2"], why: "CVE-2022-46175" },
  glob: { min: ["10.5.0", "11.1.0"], why: "CVE-2025-64756 (CLI command injection)" },
};

/** Versions published by attackers (npm account takeovers): never installed, dev tools included. */
const malicious: Record<string, string[]> = {
  // 2025-09-08 (qix account): https://github.com/debug-js/debug/issues/1005
  debug: ["4.4.2"],
  chalk: ["5.6.1"],
  "ansi-styles": ["6.2.2"],
  "supports-color": ["10.2.1"],
  "strip-ansi": ["7.1.1"],
  "ansi-regex": ["6.2.1"],
  "wrap-ansi": ["9.0.1"],
  "color-convert": ["3.1.1"],
  "color-name": ["2.0.1"],
  "is-arrayish": ["0.3.3"],
  "slice-ansi": ["7.1.1"],
  "error-ex": ["1.3.3"],
  "simple-swizzle": ["0.2.3"],
  "has-ansi": ["6.0.1"],
  "chalk-template": ["1.1.1"],
  "supports-hyperlinks": ["4.1.1"],
  backslash: ["0.2.1"],
};

interface Installed {
  path: string;
  name: string;
  version: string;
  dev: boolean;
}

/** Every package copy package-lock.json (lockfileVersion 3) installs, nested ones included. */
function installedCopies(): Installed[] {
  const lock = JSON.parse(readFileSync(`${repoRoot}package-lock.json`, "utf8")) as {
    lockfileVersion: number;
    packages: Record<string, { version?: string; dev?: boolean; link?: boolean; name?: string }>;
  };
  expect(lock.lockfileVersion).toBeGreaterThanOrEqual(2);
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path.includes("node_modules/") && !entry.link && entry.version)
    .map(([path, entry]) => ({
      path,
      name: entry.name ?? path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length),
      version: entry.version as string,
      dev: entry.dev === true,
    }));
}

type Triple = [number, number, number];

/** major.minor.patch of a semver string; a pre-release counts as just below its release. */
function parse(version: string): { triple: Triple; pre: boolean } {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+.*)?$/.exec(version);
  if (!match) throw new Error(`not a semver version: ${version}`);
  return { triple: [Number(match[1]), Number(match[2]), Number(match[3])], pre: Boolean(match[4]) };
}

function compare(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.triple[i] as number) - (y.triple[i] as number);
    if (d !== 0) return Math.sign(d);
  }
  return x.pre === y.pre ? 0 : x.pre ? -1 : 1;
}

/** The minimum that applies to `version`: the one of its major line, else the highest. */
function minimumFor(version: string, min: string | string[]): string {
  const list = (Array.isArray(min) ? min : [min]).slice().sort(compare);
  const major = parse(version).triple[0];
  return list.find((m) => parse(m).triple[0] === major) ?? (list.at(-1) as string);
}

describe("version comparison", () => {
  it("orders by major, minor and patch numerically, with pre-releases first", () => {
    expect(compare("0.1.12", "0.1.2")).toBe(1);
    expect(compare("4.21.2", "4.21.2")).toBe(0);
    expect(compare("2.17.3-pre.1", "2.17.3")).toBe(-1);
    expect(compare("10.0.0", "9.99.99")).toBe(1);
  });

  it("takes the minimum of the copy's own major line, or the highest for another line", () => {
    const min = ["0.1.12", "8.0.0"];
    expect(minimumFor("0.1.13", min)).toBe("0.1.12");
    expect(minimumFor("8.2.0", min)).toBe("8.0.0");
    expect(minimumFor("3.0.0", min)).toBe("8.0.0");
  });
});

describe("installed dependencies (package-lock.json)", () => {
  const copies = installedCopies();

  it("are read from the lockfile, nested copies included", () => {
    const names = new Set(copies.map((c) => c.name));
    for (const name of ["express", "@remix-run/node", "drizzle-orm", "cookie", "zod"]) {
      expect(names, name).toContain(name);
    }
    expect(copies.some((c) => c.path.split("node_modules/").length > 2)).toBe(true);
  });

  it.each(Object.entries(minimums))("%s: every copy at or above the safe minimum", (name, rule) => {
    const below = copies
      .filter((c) => c.name === name)
      .filter((c) => !(rule.scope === "production" && c.dev))
      .filter((c) => compare(c.version, minimumFor(c.version, rule.min)) < 0)
      .map((c) => `${c.path}@${c.version} < ${minimumFor(c.version, rule.min)} (${rule.why})`);
    expect(below).toEqual([]);
  });

  it("has no copy of a version known to be malicious", () => {
    const found = copies
      .filter((c) => malicious[c.name]?.includes(c.version))
      .map((c) => `${c.path}@${c.version}`);
    expect(found).toEqual([]);
  });
});
