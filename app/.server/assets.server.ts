import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { NextFunction, Request, Response } from "express";

// Scripts and styles under /build never change once built (their names carry a hash), yet the
// compression middleware compressed them again on every request: about 11 ms of CPU for one cold
// page load's set, at brotli quality 4. Each is compressed once per process instead, at the best
// quality (brotli 11: 12% smaller here), in the thread pool, on its first request; the middleware
// serves that request and any that come before the result (decision 026).

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

interface Compressed {
  br: Buffer;
  gzip: Buffer;
}

/** Serves `root`'s files (mounted at /build) compressed once, when the browser accepts it. */
export function precompressedAssets(root: string) {
  // Only the files the build wrote: a request for any other path is never compressed or kept.
  const files = new Set(
    existsSync(root)
      ? readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => /\.(js|css)$/.test(f))
      : [],
  );
  const compressed = new Map<string, Promise<Compressed | null>>();

  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const file = req.path.slice(1);
    if (!files.has(file)) return next();
    // brotli whenever accepted (it is far smaller for scripts); gzip otherwise.
    const encoding = req.acceptsEncodings("br") ? "br" : req.acceptsEncodings("gzip") ? "gzip" : null;
    if (!encoding) return next();
    const entry = compressed.get(file);
    if (!entry) {
      compressed.set(file, compress(join(root, file)));
      return next();
    }
    entry.then((bodies) => {
      if (!bodies) return next();
      const body = bodies[encoding];
      res.vary("Accept-Encoding").type(extname(file));
      res.set({
        "Content-Encoding": encoding,
        "Content-Length": String(body.length),
        "Cache-Control": "public, max-age=31536000, immutable",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    }, next);
  };
}

async function compress(path: string): Promise<Compressed | null> {
  try {
    const raw = await readFile(path);
    const [br, gz] = await Promise.all([
      brotli(raw, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
      }),
      gzipAsync(raw, { level: 9 }),
    ]);
    return { br, gzip: gz };
  } catch {
    return null; // the middleware serves it as before
  }
}
