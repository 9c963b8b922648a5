import { readdir } from "node:fs/promises";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { uploads } from "#db/schema";
import { db } from "~/.server/db.server";
import { env } from "~/.server/env.server";
import { readStoredFile, storeFile, uploadedFileResponse } from "~/.server/storage.server";
import { saveUpload } from "~/domain/eoi/upload.service.server";
import { setupTestDatabase } from "../../support/db";
import { completeDraft, testActor } from "../../support/eoi";
import {
  bytesOf,
  contains,
  exifSegment,
  join,
  jpegWith,
  MINIMAL_PDF,
  pdf,
  png,
  pngChunk,
  pngChunkTypes,
  segment,
  withFrameSize,
} from "../../support/uploads";

setupTestDatabase("security-uploads");

// Uploads through the service the upload pages call (ASVS 12.1–12.5): what is refused stores
// nothing, and what is kept has lost the metadata phones record (GPS position, device, times).
// The checks themselves, case by case: tests/unit/domain/file-check.test.ts.

const GPS = "GPS 50.9513N 1.8587E Pixel 8";

async function stored(eoiId: string) {
  return db().select().from(uploads).where(eq(uploads.eoiId, eoiId));
}

describe("uploaded files", () => {
  it("keep no EXIF, comment, text or time metadata: JPEG and PNG photos are stored without them", async () => {
    const eoiId = await completeDraft();
    const jpeg = withFrameSize(jpegWith(exifSegment(1, GPS), segment(0xfe, GPS)), 600, 750);
    const pngPhoto = png(600, 750, [
      pngChunk("tEXt", bytesOf(`Location\0${GPS}`)),
      pngChunk("eXIf", bytesOf(`MM\0*${GPS}`)),
      pngChunk("tIME", Buffer.from([7, 233, 11, 24, 2, 30, 0])),
    ]);
    expect(contains(jpeg, GPS) && contains(pngPhoto, GPS)).toBe(true);

    for (const [bytes, type] of [
      [jpeg, "image/jpeg"],
      [pngPhoto, "image/png"],
    ] as const) {
      const saved = await saveUpload(eoiId, "photo", { bytes: new Uint8Array(bytes), type }, testActor);
      if (!saved.ok) throw new Error(saved.reason);
      const kept = Buffer.from(await readStoredFile(saved.id));
      expect(contains(kept, "GPS"), type).toBe(false);
      expect(contains(kept, "Exif"), type).toBe(false);
      if (type === "image/png") expect(pngChunkTypes(kept)).toEqual(["IHDR", "IDAT", "IEND"]);
      else expect(kept.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    }
  });

  it.each([
    [
      "an SVG with a script",
      bytesOf('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      "image/svg+xml",
      "unsupported_type",
    ],
    ["an SVG named .png", bytesOf('<svg onload="alert(1)"/>'), "image/png", "type_mismatch"],
    [
      "a PDF running JavaScript",
      pdf("4 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj"),
      "application/pdf",
      "pdf_has_javascript",
    ],
    [
      "a PDF with an embedded file",
      pdf("4 0 obj << /Names << /EmbeddedFiles 5 0 R >> >> endobj"),
      "application/pdf",
      "pdf_has_javascript",
    ],
    [
      "a PNG with a ZIP after it (polyglot)",
      join(png(2, 2), bytesOf("PK\u0003\u0004\u0014\u0000payload")),
      "image/png",
      "polyglot",
    ],
    [
      "a JPEG with HTML inside (polyglot)",
      jpegWith(segment(0xfe, "<html><script>x</script>")),
      "image/jpeg",
      "polyglot",
    ],
    [
      "a ZIP archive (a zip bomb is never opened)",
      bytesOf("PK\u0003\u0004\u0014\u0000\u0000\u0000\u0008\u0000"),
      "application/zip",
      "unsupported_type",
    ],
    ["a PDF claimed as a JPEG", MINIMAL_PDF, "image/jpeg", "type_mismatch"],
  ])("refuse %s, and store nothing", async (_, bytes, type, reason) => {
    const eoiId = await completeDraft();
    const before = await readdir(env.UPLOAD_DIR).catch(() => []);
    const result = await saveUpload(
      eoiId,
      "identity_document",
      { bytes: new Uint8Array(bytes), type },
      testActor,
    );
    expect(result).toEqual({ ok: false, reason });
    expect(await stored(eoiId)).toEqual([]);
    expect(await readdir(env.UPLOAD_DIR).catch(() => [])).toEqual(before);
  });

  it("are stored under their database id only: a name from outside never becomes a path", async () => {
    for (const id of ["../../etc/passwd", "..", "a/b", `${crypto.randomUUID()}/..`, ""]) {
      await expect(storeFile(id, new Uint8Array([1])), id).rejects.toThrow("invalid file id");
      await expect(readStoredFile(id), id).rejects.toThrow("invalid file id");
    }
  });

  it("are sent back inline but inert: sandboxed, no sniffing, never cached", () => {
    const response = uploadedFileResponse({ contentType: "image/png", bytes: new Uint8Array(png(1, 1)) });
    expect(response.headers.get("Content-Type")).toBe("image/png");
    expect(response.headers.get("Content-Disposition")).toBe("inline");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toMatch(/(^|; )default-src 'none'(;|$)/);
    expect(csp).toMatch(/(^|; )sandbox(;|$)/);
    expect(csp).not.toContain("script-src");
  });
});
