import { gzipSync } from "node:zlib";
import type { AppLoadContext } from "@remix-run/node";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { commitSession, getSession } from "~/.server/session.server";
import { readStoredFile } from "~/.server/storage.server";
import { loadEoi } from "~/domain/eoi/eoi.service.server";
import {
  checkUpload,
  jpegOrientation,
  MAX_DOCUMENT_BYTES,
  MAX_IMAGE_PIXELS,
  MAX_PHOTO_BYTES,
  maxBytesFor,
  stripJpegMetadata,
  stripPngMetadata,
  type UploadKind,
} from "~/domain/uploads/file-check";
import * as upload from "~/routes/lang/apply/upload";
import { setupTestDatabase } from "../support/db";
import { completeDraft } from "../support/eoi";
import { CSRF_TOKEN, csrfCookie, routeContext } from "../support/staff";
import {
  bytesOf,
  contains,
  exifSegment,
  join,
  jpegWith,
  MINIMAL_PDF,
  PHOTO_JPEG,
  PHOTO_PNG,
  PNG_SIGNATURE,
  pdf,
  png,
  pngChunk,
  pngHeader,
  segment,
  TINY_JPEG,
  withFrameSize,
} from "../support/uploads";

/*
 * Uploads are judged by their bytes (app/domain/uploads/file-check.ts): these properties feed the
 * check, and the upload page, files whose name, claimed type and content disagree, files carrying
 * markup, script or an archive, oversize files and decompression bombs. Nothing of those is
 * accepted, nothing throws, and what is accepted is stored without its metadata.
 */

setupTestDatabase("fuzz_uploads");

const kinds: UploadKind[] = ["identity_document", "photo", "relationship_evidence"];
const kind = fc.constantFrom(...kinds);
const acceptedName = fc.constantFrom("passport.jpg", "photo.JPEG", "scan.png", "id.pdf", "IMG_0001.jfif");
const acceptedType = fc.constantFrom("image/jpeg", "image/png", "application/pdf", "image/pjpeg");

/** What other files start with: none is an accepted type, whatever the name says. */
const foreignStarts = [
  "GIF89a",
  "PK\u0003\u0004",
  "\u001f\u008b\u0008",
  "Rar!\u001a\u0007",
  "7z\u00bc\u00af\u0027\u001c",
  "MZ\u0090\u0000",
  "\u007fELF",
  "%!PS-Adobe-3.0",
  "<!doctype html><html><script>alert(1)</script>",
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>',
  "<svg><script>alert(document.cookie)</script></svg>",
  "{\\rtf1",
  "\u0000\u0000\u0000\u0018ftypheic",
].map(bytesOf);
const foreign = fc
  .tuple(fc.constantFrom(...foreignStarts), fc.uint8Array({ maxLength: 512 }))
  .map(([start, rest]) => join(start, rest));

/** Markup, script or a PDF, as found in polyglots (case varies: browsers do not care). */
const markup = fc
  .tuple(
    fc.constantFrom("<script>alert(1)</script>", "<html><body onload=alert(1)>", "%PDF-1.4 1 0 obj"),
    fc.boolean(),
  )
  .map(([text, upper]) => bytesOf(upper ? text.toUpperCase() : text));
/** After the picture, an archive too (a ZIP header is short enough to turn up inside image data). */
const payload = fc.oneof(markup, fc.constant(bytesOf("PK\u0003\u0004\u0014\u0000")));

const check = (
  bytes: Uint8Array,
  k: UploadKind = "identity_document",
  claimedType?: string,
  fileName?: string,
) => checkUpload({ bytes, kind: k, claimedType, fileName });

describe("the upload check", () => {
  it("accepts no file whose content is not a JPEG, PNG or PDF, whatever its name and claimed type", () => {
    fc.assert(
      fc.property(foreign, kind, fc.option(acceptedType), fc.option(acceptedName), (bytes, k, type, name) => {
        const result = check(bytes, k, type ?? undefined, name ?? undefined);
        const claimed = type !== null || name !== null;
        expect(result.ok).toBe(false);
        if (!result.ok && result.reason !== "heic_not_supported")
          expect(result.reason).toBe(claimed ? "type_mismatch" : "unsupported_type");
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a real file named or claimed as another accepted type", () => {
    const files = fc.constantFrom(
      { bytes: TINY_JPEG, names: ["scan.png", "scan.pdf"], types: ["image/png", "application/pdf"] },
      { bytes: png(1, 1), names: ["scan.jpg", "scan.pdf"], types: ["image/jpeg", "application/pdf"] },
      { bytes: MINIMAL_PDF, names: ["scan.jpg", "scan.png"], types: ["image/jpeg", "image/png"] },
    );
    fc.assert(
      fc.property(
        files.chain((f) =>
          fc.tuple(fc.constant(f.bytes), fc.constantFrom(...f.names), fc.constantFrom(...f.types), fc.nat(2)),
        ),
        ([bytes, name, type, which]) => {
          // The name lies, the claimed type lies, or both do.
          const [claimed, named] = [which !== 1 ? type : undefined, which !== 0 ? name : undefined];
          expect(check(bytes, "identity_document", claimed, named)).toEqual({
            ok: false,
            reason: "type_mismatch",
          });
        },
      ),
    );
  });

  it("refuses a picture that carries markup, a PDF or an archive (a polyglot), wherever it is", () => {
    const carrier = fc.oneof(
      payload.map((p) => join(TINY_JPEG, p)),
      payload.map((p) => join(png(1, 1), p)),
      markup.map((p) => jpegWith(segment(0xfe, p))),
      markup.map((p) => jpegWith(exifSegment(1, p.toString("latin1")))),
      markup.map((p) => png(1, 1, [pngChunk("tEXt", join(bytesOf("Comment\0"), p))])),
      fc.tuple(payload, fc.nat(4096)).map(([p, n]) => join(TINY_JPEG, Buffer.alloc(n), p)),
    );
    fc.assert(
      fc.property(carrier, kind, (bytes, k) => {
        expect(check(bytes, k)).toEqual({ ok: false, reason: "polyglot" });
      }),
      { numRuns: 200 },
    );
  });

  it("refuses a PDF that runs something, by itself or on an event, however its names are spelt", () => {
    // "#xx" escapes spell any letter of a name (/J#61vaScript is /JavaScript).
    const spelt = (name: string) =>
      fc
        .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
        .map((hex) => [...name].map((c, i) => (hex[i] ? `#${c.charCodeAt(0).toString(16)}` : c)).join(""));
    const action = fc.constantFrom(
      "URI /URI (https://x.example/opened)",
      "SubmitForm /F (https://x.example)",
      "GoToR /F (other.pdf)",
      "ImportData /F (x.fdf)",
    );
    const body = fc.oneof(
      fc
        .constantFrom("JavaScript", "JS", "Launch", "EmbeddedFiles")
        .chain(spelt)
        .map((n) => `4 0 obj << /S /${n} /F (x) >> endobj`),
      fc.tuple(spelt("OpenAction"), action).map(([n, a]) => `4 0 obj << /${n} << /S /${a} >> >> endobj`),
      fc
        .tuple(spelt("OpenAction"), action)
        .map(([n, a]) => `4 0 obj << /${n} 5 0 R >> endobj\n5 0 obj << /S /${a} >> endobj`),
      fc
        .tuple(spelt("AA"), action)
        .map(([n, a]) => `3 0 obj << /Type /Page /${n} << /O << /S /${a} >> >> >> endobj`),
    );
    fc.assert(
      fc.property(body, (text) => {
        expect(check(pdf(text))).toEqual({ ok: false, reason: "pdf_has_javascript" });
      }),
      { numRuns: 200 },
    );
  });

  it("refuses archives and compressed bombs disguised as pictures, and pictures too big to decode", () => {
    const gzipBomb = gzipSync(Buffer.alloc(10 * 1024 * 1024));
    const disguised = fc.oneof(
      fc.constant(gzipBomb),
      fc.constant(join(bytesOf("PK\u0003\u0004\u0014\u0000\u0008\u0000"), gzipBomb)),
      // A real picture header in front of the archive: the archive is hidden content.
      fc.constant(join(TINY_JPEG, bytesOf("PK\u0003\u0004"), gzipBomb.subarray(0, 512))),
    );
    fc.assert(
      fc.property(disguised, kind, acceptedName, (bytes, k, name) => {
        expect(check(bytes, k, undefined, name).ok).toBe(false);
      }),
      { numRuns: 30 },
    );
    const side = fc.integer({ min: 10_001, max: 65_535 });
    fc.assert(
      fc.property(side, side, fc.boolean(), (width, height, asPng) => {
        expect(width * height).toBeGreaterThan(MAX_IMAGE_PIXELS);
        const bytes = asPng
          ? join(PNG_SIGNATURE, pngHeader(width, height), pngChunk("IDAT", Buffer.alloc(8)), pngChunk("IEND"))
          : withFrameSize(TINY_JPEG, width, height);
        expect(check(bytes, "photo")).toEqual({ ok: false, reason: "too_large" });
      }),
    );
  });

  it("refuses anything over the size limit, even a valid picture", () => {
    const big = join(PHOTO_JPEG, Buffer.alloc(MAX_DOCUMENT_BYTES + 64 - PHOTO_JPEG.length));
    fc.assert(
      fc.property(kind, fc.integer({ min: 1, max: 64 }), (k, over) => {
        expect(check(big.subarray(0, maxBytesFor(k) + over), k)).toEqual({ ok: false, reason: "too_large" });
      }),
      { numRuns: 30 },
    );
  });

  it("never throws on damaged files; what it accepts stays acceptable once stripped", () => {
    const mutated = fc
      .tuple(
        fc.constantFrom(
          TINY_JPEG,
          PHOTO_JPEG,
          PHOTO_PNG,
          png(3, 2),
          MINIMAL_PDF,
          jpegWith(exifSegment(6, "GPS")),
        ),
        fc.array(
          fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom("set", "cut", "insert")),
          {
            maxLength: 4,
          },
        ),
      )
      .map(([original, edits]) => {
        let bytes = Buffer.from(original);
        for (const [at, value, edit] of edits) {
          const i = at % (bytes.length + 1);
          if (edit === "set" && i < bytes.length) bytes[i] = value;
          if (edit === "cut") bytes = bytes.subarray(0, i);
          if (edit === "insert") bytes = join(bytes.subarray(0, i), Buffer.from([value]), bytes.subarray(i));
        }
        return bytes;
      });
    fc.assert(
      fc.property(mutated, kind, (bytes, k) => {
        const result = check(bytes, k);
        if (!result.ok || result.contentType === "application/pdf") return;
        const clean =
          result.contentType === "image/jpeg" ? stripJpegMetadata(bytes) : stripPngMetadata(bytes);
        expect(check(clean, k)).toEqual(result);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the upload page", () => {
  let cookie: string;
  let eoiId: string;

  beforeAll(async () => {
    eoiId = await completeDraft();
    const session = await getSession(new Request("http://localhost/"));
    session.set("eoiId", eoiId);
    cookie = (await commitSession(session, 30)).split(";")[0] as string;
  });

  let ip = 0;
  const post = async (slug: "upload-photo" | "upload-document", file: File | null) => {
    const form = new FormData();
    form.set("csrf", CSRF_TOKEN);
    if (file) form.set("file", file);
    const request = new Request(`http://localhost/en/apply/${slug}`, {
      method: "POST",
      headers: { Cookie: `${cookie}; ${csrfCookie()}`, Origin: "http://localhost" },
      body: form,
    });
    const context = { ...routeContext, clientIp: `10.8.0.${++ip % 250}` } as AppLoadContext;
    try {
      const result = (await upload.action({ request, params: { lang: "en" }, context })) as
        | Response
        | { data: { error?: string }; init?: ResponseInit };
      return result instanceof Response
        ? { status: result.status }
        : { status: result.init?.status ?? 200, error: result.data.error };
    } catch (thrown) {
      if (thrown instanceof Response) return { status: thrown.status };
      throw thrown;
    }
  };

  it("answers any file without a 5xx, and stores only what the check accepts", async () => {
    const content = fc.oneof(
      foreign,
      payload.map((p) => join(TINY_JPEG, p)),
      fc.uint8Array({ maxLength: 256 }),
      fc.constantFrom(TINY_JPEG, PHOTO_PNG, MINIMAL_PDF),
    );
    // Names a multipart body carries unchanged (it escapes quotes and line breaks).
    const name = fc.oneof(acceptedName, fc.stringMatching(/^[\w .-]{1,20}$/), fc.constant("x.constructor"));
    const type = fc.oneof(acceptedType, fc.constantFrom("", "text/html", "image/svg+xml", "constructor"));
    await fc.assert(
      fc.asyncProperty(
        content,
        name,
        type,
        fc.constantFrom("upload-photo", "upload-document"),
        async (bytes, fileName, fileType, slug) => {
          const before = (await loadEoi(eoiId))?.answers.uploads;
          const answer = await post(
            slug as "upload-photo",
            new File([new Uint8Array(bytes)], fileName, { type: fileType }),
          );
          expect(answer.status).toBeLessThan(500);
          const accepted = check(
            bytes,
            slug === "upload-photo" ? "photo" : "identity_document",
            fileType,
            fileName,
          ).ok;
          expect(answer.status).toBe(accepted ? 302 : 422);
          if (!accepted) expect((await loadEoi(eoiId))?.answers.uploads).toEqual(before);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("refuses a file over the limit, and one over twice the limit before reading it all", async () => {
    for (const size of [MAX_PHOTO_BYTES + 1, 2 * MAX_PHOTO_BYTES + 1]) {
      const bytes = join(PHOTO_JPEG, Buffer.alloc(size - PHOTO_JPEG.length));
      const answer = await post(
        "upload-photo",
        new File([new Uint8Array(bytes)], "photo.jpg", { type: "image/jpeg" }),
      );
      expect(answer, String(size)).toEqual({ status: 422, error: "too_large" });
    }
  });

  it("stores a photo without its EXIF (GPS, device, comments), keeping its orientation", async () => {
    // Without "<" or "%": markup or a PDF header in it would make the photo a polyglot.
    const exifText = fc.stringMatching(/^[\w .,:;'-]{1,60}$/).map((t) => `GPS ${t}`);
    await fc.assert(
      fc.asyncProperty(exifText, fc.integer({ min: 1, max: 8 }), async (text, orientation) => {
        const photo = withFrameSize(
          jpegWith(exifSegment(orientation, text), segment(0xfe, `taken at ${text}`)),
          750,
          750,
        );
        const answer = await post(
          "upload-photo",
          new File([new Uint8Array(photo)], "photo.jpg", { type: "image/jpeg" }),
        );
        expect(answer.status).toBe(302);
        const id = (await loadEoi(eoiId))?.answers.uploads?.photo as string;
        const stored = await readStoredFile(id);
        expect(contains(stored, text)).toBe(false);
        expect(contains(stored, "taken at")).toBe(false);
        expect(jpegOrientation(stored)).toBe(orientation);
        expect(check(stored, "photo")).toMatchObject({ ok: true, width: 750, height: 750 });
      }),
      { numRuns: 10 },
    );
  });
});
