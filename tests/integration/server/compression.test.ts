import { request } from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startBuiltServer } from "../../support/server";

// Pages go out compressed as the browser accepts, in one body with its length (decision 025), and
// built scripts compressed once (decision 026): the production server over raw HTTP, which,
// unlike fetch, leaves the body as it came.

let server: ServerProcess;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ server, stop } = await startBuiltServer("compression"));
});

afterAll(() => stop?.());

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(path: string, acceptEncoding?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding === undefined ? {} : { "accept-encoding": acceptEncoding };
    request(`${server.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
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

  it("a script is compressed once, at brotli's best, and then sent whole with its length", async () => {
    const html = (await get("/fr", "identity")).body.toString("utf8");
    const script = html.match(/\/build\/[^"]+\.js/)?.[0] as string;
    expect(script).toBeTruthy();
    const plain = await get(script, "identity");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    // The first request is answered by the middleware (brotli at quality 4, chunked) while the
    // best compression is made in the thread pool; the next ones get that.
    const first = await get(script, "gzip, deflate, br, zstd");
    expect(first.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(first.body).equals(plain.body)).toBe(true);
    let best = first;
    for (let i = 0; i < 40 && best.headers["content-length"] === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      best = await get(script, "gzip, deflate, br, zstd");
    }
    expect(best.headers["content-encoding"]).toBe("br");
    expect(Number(best.headers["content-length"])).toBe(best.body.length);
    expect(best.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(best.headers["content-type"]).toMatch(/javascript/);
    expect(best.body.length).toBeLessThan(first.body.length);
    expect(brotliDecompressSync(best.body).equals(plain.body)).toBe(true);
    // A browser without brotli gets gzip; one that asks for nothing, the file as it is.
    const gzipped = await get(script, "gzip");
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzipped.body).equals(plain.body)).toBe(true);
    expect((await get(script, "identity")).body.equals(plain.body)).toBe(true);
  });

  it("a path that is not a built file is the page that says so, each time", async () => {
    for (let i = 0; i < 2; i++) {
      const missing = await get("/build/not-built.js", "br");
      expect(missing.status).toBe(404);
      expect(missing.headers["content-type"]).toMatch(/^text\/html/);
    }
  });
});
