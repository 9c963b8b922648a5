import { rmSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuild } from "../../support/build";
import { createScratchDatabase, postgresBaseUrl, type ScratchDatabase } from "../../support/db";
import { type ServerProcess, startServer } from "../../support/server";
import { tmpRoot } from "../../support/test-env";

// Pages go out compressed as the browser accepts, in one body with its length (decision 025):
// the production server over raw HTTP, which, unlike fetch, leaves the body as it came.

let server: ServerProcess;
let scratch: ScratchDatabase | undefined;
const dataDir = join(tmpRoot, `compression-${process.pid}-${Date.now()}`);

beforeAll(async () => {
  ensureBuild();
  const base = postgresBaseUrl();
  scratch = base ? await createScratchDatabase(base, "compression") : undefined;
  server = await startServer({ DATA_DIR: dataDir, ...(scratch ? { DATABASE_URL: scratch.url } : {}) });
});

afterAll(async () => {
  await server?.kill();
  await scratch?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Raw {
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(path: string, acceptEncoding?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding === undefined ? {} : { "accept-encoding": acceptEncoding };
    request(`${server.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

const decoders: Record<string, (body: Buffer) => Buffer> = {
  gzip: gunzipSync,
  br: brotliDecompressSync,
  deflate: inflateSync,
};

/** A page's text without what changes on every request (the CSP nonce, the CSRF token). */
const stable = (html: string) => html.replace(/[A-Za-z0-9+/_-]{22,}={0,2}/g, "…");

describe("page compression", () => {
  it.each([
    ["gzip, deflate, br, zstd", "gzip"], // a phone's Chrome
    ["br", "br"],
    ["gzip;q=0.5, br;q=0.9", "br"],
  ])("Accept-Encoding %j: the page comes as %s, whole, with its length", async (accept, encoding) => {
    const plain = await get("/ar", "identity");
    const page = await get("/ar", accept);
    expect(page.headers["content-encoding"]).toBe(encoding);
    expect(page.headers["transfer-encoding"]).toBeUndefined();
    expect(Number(page.headers["content-length"])).toBe(page.body.length);
    expect(page.headers.vary).toMatch(/Accept-Encoding/i);
    const text = (decoders[encoding] as (b: Buffer) => Buffer)(page.body).toString("utf8");
    expect(text).toMatch(/^<!DOCTYPE html><html lang="ar" dir="rtl"/);
    expect(stable(text)).toBe(stable(plain.body.toString("utf8")));
    expect(page.body.length).toBeLessThan(plain.body.length / 2);
  });

  it.each<[string | undefined, string]>([
    [undefined, "no Accept-Encoding"],
    ["identity", "identity only"],
    ["gzip;q=0, br;q=0", "both refused"],
  ])("Accept-Encoding %j (%s): the page comes uncompressed", async (accept, _why) => {
    const page = await get("/fr", accept);
    expect(page.headers["content-encoding"]).toBeUndefined();
    expect(Number(page.headers["content-length"])).toBe(page.body.length);
    expect(page.body.subarray(0, 15).toString()).toBe("<!DOCTYPE html>");
    expect(page.headers.vary).toMatch(/Accept-Encoding/i);
  });

  it("a browser offering only deflate still gets a compressed page, from the middleware", async () => {
    const page = await get("/fr", "deflate");
    expect(page.headers["content-encoding"]).toBe("deflate");
    expect(inflateSync(page.body).subarray(0, 15).toString()).toBe("<!DOCTYPE html>");
  });

  it("scripts and styles are still compressed by the middleware", async () => {
    const html = (await get("/fr", "identity")).body.toString("utf8");
    const script = html.match(/\/build\/[^"]+\.js/)?.[0] as string;
    expect(script).toBeTruthy();
    const compressed = await get(script, "gzip, deflate, br, zstd");
    expect(compressed.headers["content-encoding"]).toBe("br");
    const plain = await get(script, "identity");
    expect(brotliDecompressSync(compressed.body).equals(plain.body)).toBe(true);
  });
});
