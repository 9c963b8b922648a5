import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

const css = readFileSync(new URL("../../../app/styles/app.css", import.meta.url), "utf8");
const rules = css.replace(/\/\*[\s\S]*?\*\//g, "");

describe("app.css", () => {
  it("uses logical properties only, so pages mirror under dir=rtl", () => {
    const physical = rules.match(
      /(?:^|[\s;{])((?:margin|padding|border)-(?:left|right)[\w-]*|left|right|float|clear)\s*:[^;]*|text-align\s*:\s*(?:left|right)/gm,
    );
    // `clear: both` is direction-free; everything else that names a side is not.
    expect(
      (physical ?? [])
        .map((p) => p.replace(/^[\s;{]+/, "").trim())
        .filter((p) => !/^clear\s*:\s*both/.test(p)),
    ).toEqual([]);
  });

  it("mirrors the directional shapes for right-to-left pages", () => {
    expect(rules).toMatch(/\[dir="rtl"\] \.govuk-button__start-icon\s*\{\s*transform: scaleX\(-1\)/);
    expect(rules).toContain('[dir="rtl"] .govuk-back-link::before');
    expect(rules).toContain('[dir="rtl"] .govuk-details__summary::before');
  });

  it("loads no fonts or images", () => {
    expect(rules).not.toMatch(/@font-face|url\(|@import/);
  });

  it("stays small for phones on little data", () => {
    expect(gzipSync(css).length).toBeLessThan(20 * 1024);
  });
});
