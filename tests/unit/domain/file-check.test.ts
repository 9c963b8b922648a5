import { deflateSync, inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  ACCEPTED_CONTENT_TYPES,
  checkUpload,
  imageDimensions,
  isHeic,
  jpegOrientation,
  MAX_DOCUMENT_BYTES,
  MAX_PHOTO_BYTES,
  MAX_TRAILING_BYTES,
  MIN_PHOTO_HEIGHT,
  MIN_PHOTO_WIDTH,
  maxBytesFor,
  sniffType,
  stripJpegMetadata,
  stripPngMetadata,
  type UploadKind,
} from "~/domain/uploads/file-check";
import { uploadKinds } from "../../../db/schema/eoi";
import {
  bytesOf,
  contains,
  exifSegment,
  HTML,
  heif,
  join,
  jpegWith,
  MINIMAL_PDF,
  PHOTO_JPEG,
  PHOTO_PNG,
  PNG_SIGNATURE,
  PROGRESSIVE_JPEG,
  pdf,
  png,
  pngChunk,
  pngChunkTypes,
  pngHeader,
  segment,
  TINY_JPEG,
  withFrameSize,
} from "../../support/uploads";

const check = (
  bytes: Uint8Array,
  kind: UploadKind = "identity_document",
  claimedType?: string,
  fileName?: string,
) => checkUpload({ bytes, kind, claimedType, fileName });

// ---------------------------------------------------------------------------------------------

describe("limits", () => {
  it("documents the limits", () => {
    expect(MAX_DOCUMENT_BYTES).toBe(10 * 1024 * 1024);
    expect(MAX_PHOTO_BYTES).toBe(5 * 1024 * 1024);
    expect([MIN_PHOTO_WIDTH, MIN_PHOTO_HEIGHT]).toEqual([600, 750]);
    expect(maxBytesFor("photo")).toBe(MAX_PHOTO_BYTES);
    expect(maxBytesFor("identity_document")).toBe(MAX_DOCUMENT_BYTES);
    expect(maxBytesFor("relationship_evidence")).toBe(MAX_DOCUMENT_BYTES);
    expect(ACCEPTED_CONTENT_TYPES.photo).toEqual(["image/jpeg", "image/png"]);
  });

  it("knows every upload kind of the database", () => {
    expect(Object.keys(ACCEPTED_CONTENT_TYPES).sort()).toEqual([...uploadKinds].sort());
  });
});

describe("sniffType", () => {
  it.each([
    ["JPEG", TINY_JPEG, "image/jpeg"],
    ["progressive JPEG", PROGRESSIVE_JPEG, "image/jpeg"],
    ["PNG", png(1, 1), "image/png"],
    ["PDF", MINIMAL_PDF, "application/pdf"],
    ["GIF", bytesOf("GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;"), null],
    ["WebP", bytesOf("RIFF\u0024\u0000\u0000\u0000WEBPVP8 "), null],
    ["HEIC", heif("heic"), null],
    ["AVIF", heif("avif"), null],
    ["SVG", bytesOf('<svg xmlns="http://www.w3.org/2000/svg"/>'), null],
    ["ZIP", bytesOf("PK\u0003\u0004\u0014\u0000"), null],
    ["HTML", HTML, null],
    ["Windows executable", bytesOf("MZ\u0090\u0000\u0003"), null],
    ["BMP", bytesOf("BM6\u0000\u0000\u0000"), null],
    ["TIFF", bytesOf("II*\u0000\u0008\u0000"), null],
    ["text", bytesOf("hello"), null],
    ["a PDF header not at the start", bytesOf(" %PDF-1.4"), null],
    ["two bytes of a JPEG", Buffer.from([0xff, 0xd8]), null],
    ["nothing", new Uint8Array(), null],
  ])("%s → %s", (_, bytes, expected) => {
    expect(sniffType(bytes)).toBe(expected);
  });

  it.each(["heic", "heix", "mif1", "hevc", "heim", "heis", "hevx", "msf1"])(
    "recognises HEIF brand %s",
    (brand) => {
      expect(isHeic(heif(brand))).toBe(true);
    },
  );

  it("does not take AVIF, MP4 or short files for HEIC", () => {
    expect(isHeic(heif("avif"))).toBe(false);
    expect(isHeic(heif("isom"))).toBe(false);
    expect(isHeic(bytesOf("\0\0\0\u0018ftyp"))).toBe(false);
  });
});

describe("imageDimensions", () => {
  it("reads the frame of baseline and progressive JPEGs and the IHDR of PNGs", () => {
    expect(imageDimensions(TINY_JPEG, "image/jpeg")).toEqual({ width: 2, height: 2 });
    expect(imageDimensions(PROGRESSIVE_JPEG, "image/jpeg")).toEqual({ width: 16, height: 16 });
    expect(imageDimensions(withFrameSize(TINY_JPEG, 1234, 567), "image/jpeg")).toEqual({
      width: 1234,
      height: 567,
    });
    expect(imageDimensions(png(1, 1), "image/png")).toEqual({ width: 1, height: 1 });
    expect(imageDimensions(png(640, 3), "image/png")).toEqual({ width: 640, height: 3 });
  });

  it("skips DHT, JPG and DAC markers, which sit in the SOF range but carry no frame size", () => {
    // Each payload would read as 4660 × 22136 if mistaken for a frame header.
    const decoys = [0xc4, 0xc8, 0xcc].map((marker) =>
      segment(marker, Buffer.from([8, 0x12, 0x34, 0x56, 0x78, 1])),
    );
    expect(imageDimensions(jpegWith(...decoys), "image/jpeg")).toEqual({ width: 2, height: 2 });
  });

  it("skips APP segments whatever they contain, including an embedded thumbnail", () => {
    const thumbnail = withFrameSize(TINY_JPEG, 4000, 3000);
    expect(
      imageDimensions(jpegWith(segment(0xe1, join(bytesOf("Exif\0\0"), thumbnail))), "image/jpeg"),
    ).toEqual({
      width: 2,
      height: 2,
    });
  });

  it("gives null for a broken image", () => {
    expect(imageDimensions(TINY_JPEG.subarray(0, 200), "image/jpeg")).toBeNull();
    expect(imageDimensions(png(2, 2).subarray(0, 40), "image/png")).toBeNull();
    expect(imageDimensions(MINIMAL_PDF, "image/png")).toBeNull();
  });
});

describe("checkUpload accepts", () => {
  it.each([
    ["a JPEG identity document", TINY_JPEG, "identity_document", "image/jpeg", 2, 2],
    ["a progressive JPEG", PROGRESSIVE_JPEG, "relationship_evidence", "image/jpeg", 16, 16],
    ["a PNG", png(1, 1), "identity_document", "image/png", 1, 1],
    ["a PNG photo of the minimum size", PHOTO_PNG, "photo", "image/png", 600, 750],
    ["a JPEG photo of the minimum size", PHOTO_JPEG, "photo", "image/jpeg", 600, 750],
  ] as const)("%s", (_, bytes, kind, contentType, width, height) => {
    expect(check(bytes, kind)).toEqual({ ok: true, contentType, width, height });
  });

  it("a JPEG padded with up to 1 KB after EOI", () => {
    expect(check(join(TINY_JPEG, Buffer.alloc(MAX_TRAILING_BYTES)))).toEqual({
      ok: true,
      contentType: "image/jpeg",
      width: 2,
      height: 2,
    });
  });

  it("a PDF, without dimensions", () => {
    expect(check(MINIMAL_PDF, "identity_document", "application/pdf", "passport.pdf")).toEqual({
      ok: true,
      contentType: "application/pdf",
    });
    expect(check(MINIMAL_PDF, "relationship_evidence")).toEqual({ ok: true, contentType: "application/pdf" });
  });

  it.each([
    ["image/jpeg", "IMG_0001.JPG"],
    ["image/jpg", "scan.jpeg"],
    ["image/pjpeg", "scan.jpe"],
    ["IMAGE/JPEG; charset=binary", "C:\\fakepath\\photo.jfif"],
    ["application/octet-stream", "photo"],
    ["", "photo.jpg. "],
    [undefined, undefined],
  ])("a JPEG claimed as %j and named %j", (claimedType, fileName) => {
    expect(check(TINY_JPEG, "identity_document", claimedType, fileName)).toMatchObject({ ok: true });
  });

  it("a PNG or PDF under their other usual names", () => {
    expect(check(png(1, 1), "identity_document", "image/x-png", "scan.PNG")).toMatchObject({ ok: true });
    expect(check(MINIMAL_PDF, "identity_document", "application/x-pdf", "scan.Pdf")).toMatchObject({
      ok: true,
    });
  });

  it("a PDF whose binary streams happen to contain /JS, and harmless names that start with JS", () => {
    const stream = join(
      bytesOf("4 0 obj << /Length 16 >>\nstream\n"),
      Buffer.from("\u0001/JS (\u00ff\u0000x)/JS\n"),
    );
    const withStream = pdf(
      `${stream.toString("latin1")}\nendstream\nendobj\n5 0 obj << /JSON 1 /JSX 2 >> endobj`,
    );
    expect(check(withStream)).toEqual({ ok: true, contentType: "application/pdf" });
  });

  it.each([
    ["a destination", "4 0 obj << /OpenAction [3 0 R /Fit] >> endobj"],
    [
      "a destination by reference",
      "4 0 obj << /OpenAction 15 0 R >> endobj\n15 0 obj [3 0 R /XYZ 0 842 0] endobj",
    ],
    ["a reference to an object not in plain sight", "4 0 obj << /OpenAction 9 0 R >> endobj"],
  ])("a PDF that opens at a page: %s", (_, body) => {
    expect(check(pdf(body))).toEqual({ ok: true, contentType: "application/pdf" });
  });

  it("a picture of 100 million pixels", () => {
    expect(check(withFrameSize(TINY_JPEG, 10_000, 10_000))).toMatchObject({ ok: true, width: 10_000 });
  });
});

describe("checkUpload rejects", () => {
  it.each([
    ["an empty identity document", new Uint8Array(), "identity_document"],
    ["an empty photo", new Uint8Array(), "photo"],
  ] as const)("%s as empty", (_, bytes, kind) => {
    expect(check(bytes, kind)).toEqual({ ok: false, reason: "empty" });
  });

  it("files over the limit of their kind as too_large", () => {
    const over = (limit: number) => join(TINY_JPEG, Buffer.alloc(limit + 1 - TINY_JPEG.length));
    expect(check(over(MAX_DOCUMENT_BYTES), "identity_document")).toEqual({ ok: false, reason: "too_large" });
    expect(check(over(MAX_DOCUMENT_BYTES), "relationship_evidence")).toEqual({
      ok: false,
      reason: "too_large",
    });
    expect(check(over(MAX_PHOTO_BYTES), "photo")).toEqual({ ok: false, reason: "too_large" });
    // Within the document limit the same bytes are judged on content (here: megabytes after EOI).
    expect(check(over(MAX_PHOTO_BYTES), "identity_document")).toEqual({ ok: false, reason: "polyglot" });
  });

  it.each([
    ["GIF", bytesOf("GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;"), "anim.gif", "image/gif"],
    ["WebP", bytesOf("RIFF\u0024\u0000\u0000\u0000WEBPVP8 "), "photo.webp", "image/webp"],
    ["AVIF", heif("avif"), "photo.avif", "image/avif"],
    ["SVG", bytesOf('<svg xmlns="http://www.w3.org/2000/svg"/>'), "logo.svg", "image/svg+xml"],
    ["ZIP", bytesOf("PK\u0003\u0004\u0014\u0000"), "docs.zip", "application/zip"],
    ["HTML", HTML, "page.html", "text/html"],
    ["EXE", bytesOf("MZ\u0090\u0000\u0003"), "setup.exe", "application/x-msdownload"],
    ["Word", bytesOf("PK\u0003\u0004\u0014\u0000"), "letter.docx", undefined],
    ["plain text", bytesOf("my passport number is…"), undefined, undefined],
  ])("a %s file as unsupported_type", (_, bytes, fileName, claimedType) => {
    expect(check(bytes, "identity_document", claimedType, fileName)).toEqual({
      ok: false,
      reason: "unsupported_type",
    });
  });

  it.each([
    ["heic", "IMG_0001.HEIC", "image/heic"],
    ["heix", "IMG_0002.heic", undefined],
    ["mif1", "photo.heif", "image/heif"],
    ["heic", "renamed.jpg", "image/jpeg"],
  ])("HEIF (brand %s, named %s) as heic_not_supported", (brand, fileName, claimedType) => {
    expect(check(heif(brand), "photo", claimedType, fileName)).toEqual({
      ok: false,
      reason: "heic_not_supported",
    });
  });

  it.each([
    ["a PDF named photo.jpg", MINIMAL_PDF, undefined, "photo.jpg"],
    ["a PDF claimed as image/png", MINIMAL_PDF, "image/png", undefined],
    ["an HTML page claiming image/png", HTML, "image/png", undefined],
    ["an HTML page named passport.jpg", HTML, undefined, "passport.jpg"],
    ["a PNG claimed as image/jpeg", png(1, 1), "image/jpeg", undefined],
    ["a JPEG named scan.png", TINY_JPEG, undefined, "scan.png"],
    ["a JPEG named photo.jpeg.exe", TINY_JPEG, undefined, "photo.jpeg.exe"],
    ["a JPEG claimed as image/gif", TINY_JPEG, "image/gif", "photo.jpg"],
    ["a JPEG claimed as text/html", TINY_JPEG, "text/html", undefined],
  ])("%s as type_mismatch", (_, bytes, claimedType, fileName) => {
    expect(check(bytes, "identity_document", claimedType, fileName)).toEqual({
      ok: false,
      reason: "type_mismatch",
    });
  });

  it("a PDF as a photo as pdf_not_allowed_for_photo, even a broken one", () => {
    expect(check(MINIMAL_PDF, "photo", "application/pdf", "me.pdf")).toEqual({
      ok: false,
      reason: "pdf_not_allowed_for_photo",
    });
    expect(check(MINIMAL_PDF.subarray(0, 50), "photo")).toEqual({
      ok: false,
      reason: "pdf_not_allowed_for_photo",
    });
  });

  it.each([
    [
      "an OpenAction running JavaScript",
      "4 0 obj << /Type /Action /S /JavaScript /JS (app.alert(1)) >> endobj",
    ],
    ["a bare /JS entry", "4 0 obj << /AA << /O << /JS 5 0 R >> >> >> endobj"],
    ["a Launch action", "4 0 obj << /S /Launch /F (cmd.exe) >> endobj"],
    ["embedded files", "4 0 obj << /Names << /EmbeddedFiles 5 0 R >> >> endobj"],
    ["an embedded file stream", "5 0 obj << /Type /EmbeddedFile /Length 0 >>\nstream\n\nendstream\nendobj"],
    ["a name spelt with #xx escapes", "4 0 obj << /S /J#61va#53cript /J#53 (x) >> endobj"],
    [
      "JavaScript inside a stream's binary data",
      "4 0 obj << /Length 30 >>\nstream\n/S /JavaScript\nendstream\nendobj",
    ],
    [
      "an OpenAction fetching a web address",
      "4 0 obj << /OpenAction << /S /URI /URI (https://x.example/o) >> >> endobj",
    ],
    [
      "an OpenAction sending a form, by reference",
      "4 0 obj << /OpenAction 5 0 R >> endobj\n15 0 obj [3 0 R /Fit] endobj\n5 0 obj << /S /SubmitForm /F (https://x.example) >> endobj",
    ],
    [
      "an OpenAction spelt with #xx escapes",
      "4 0 obj << /Op#65nAction << /S /GoToR /F (other.pdf) >> >> endobj",
    ],
    [
      "actions on events (/AA)",
      "3 0 obj << /Type /Page /AA << /O << /S /URI /URI (https://x.example) >> >> >> endobj",
    ],
  ])("a PDF with %s as pdf_has_javascript", (_, body) => {
    expect(check(pdf(body))).toEqual({ ok: false, reason: "pdf_has_javascript" });
  });

  it.each([
    ["a PDF after the JPEG", join(TINY_JPEG, bytesOf("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF"))],
    ["a ZIP after the JPEG", join(TINY_JPEG, bytesOf("PK\u0003\u0004\u0014\u0000\u0000\u0000payload.js"))],
    ["a ZIP after the PNG", join(png(1, 1), bytesOf("PK\u0003\u0004\u0014\u0000"))],
    ["HTML after the PNG", join(png(1, 1), bytesOf("<html><body>hi</body></html>"))],
    ["a script in a JPEG comment", jpegWith(segment(0xfe, "<SCRIPT>alert(document.cookie)</SCRIPT>"))],
    ["HTML in JPEG EXIF", jpegWith(exifSegment(1, "<html><body onload=alert(1)>"))],
    [
      "a script in a PNG text chunk",
      png(1, 1, [pngChunk("tEXt", bytesOf("Comment\0<script>alert(1)</script>"))]),
    ],
    ["more than 1 KB after the JPEG", join(TINY_JPEG, Buffer.alloc(MAX_TRAILING_BYTES + 1))],
    ["more than 1 KB after the PNG", join(png(1, 1), Buffer.alloc(MAX_TRAILING_BYTES + 1, 0x41))],
  ])("%s as polyglot", (_, bytes) => {
    expect(check(bytes)).toEqual({ ok: false, reason: "polyglot" });
  });

  it.each([
    ["a truncated JPEG (no EOI)", TINY_JPEG.subarray(0, TINY_JPEG.length - 2)],
    ["a JPEG cut in its scan data", TINY_JPEG.subarray(0, TINY_JPEG.length - 10)],
    ["a JPEG cut in a segment", TINY_JPEG.subarray(0, 100)],
    [
      "a JPEG with garbage between segments",
      join(TINY_JPEG.subarray(0, 20), bytesOf("xx"), TINY_JPEG.subarray(20)),
    ],
    ["a JPEG without a frame header", Buffer.from([0xff, 0xd8, 0xff, 0xd9])],
    ["a JPEG with a zero-width frame", withFrameSize(TINY_JPEG, 0, 2)],
    ["a PNG without IEND", png(1, 1).subarray(0, png(1, 1).length - 12)],
    ["a PNG with a bad CRC", Buffer.from(png(1, 1)).fill(0, 29, 33)],
    ["a PNG without image data", join(PNG_SIGNATURE, png(1, 1).subarray(8, 33), pngChunk("IEND"))],
    [
      "a PNG that does not start with IHDR",
      join(PNG_SIGNATURE, pngChunk("tEXt", bytesOf("a\0b")), png(1, 1).subarray(8)),
    ],
    ["a truncated PDF", MINIMAL_PDF.subarray(0, MINIMAL_PDF.length - 20)],
    ["a PDF whose %%EOF is not in its last 1 KB", pdf("", "x".repeat(2000))],
  ])("%s as corrupt", (_, bytes) => {
    expect(check(bytes)).toEqual({ ok: false, reason: "corrupt" });
  });

  it.each([
    ["a JPEG", withFrameSize(TINY_JPEG, 20_000, 20_000)],
    [
      "a PNG",
      join(
        PNG_SIGNATURE,
        pngHeader(30_000, 30_000),
        pngChunk("IDAT", deflateSync(Buffer.alloc(64))),
        pngChunk("IEND"),
      ),
    ],
  ])("%s of more than 100 million pixels (a decompression bomb, a few bytes) as too_large", (_, bytes) => {
    expect(check(bytes)).toEqual({ ok: false, reason: "too_large" });
  });

  it("a claimed type or extension named like an object's properties as a claim of another type", () => {
    expect(check(HTML, "identity_document", "constructor", "page.constructor")).toEqual({
      ok: false,
      reason: "unsupported_type",
    });
    expect(check(TINY_JPEG, "identity_document", undefined, "photo.toString")).toEqual({
      ok: false,
      reason: "type_mismatch",
    });
  });

  it.each([
    ["599 × 750", withFrameSize(TINY_JPEG, 599, 750)],
    ["600 × 749", withFrameSize(TINY_JPEG, 600, 749)],
    ["a 750 × 600 landscape", withFrameSize(TINY_JPEG, 750, 600)],
    ["a 2 × 2 JPEG", TINY_JPEG],
    ["a 1 × 1 PNG", png(1, 1)],
    ["a PNG 600 wide but 749 high", png(600, 749)],
  ])("a photo of %s as photo_too_small", (_, bytes) => {
    expect(check(bytes, "photo")).toEqual({ ok: false, reason: "photo_too_small" });
  });

  it("judges the photo as displayed, after EXIF rotation", () => {
    // Stored 750 × 600 but shown turned a quarter (orientation 6): 600 × 750 on screen.
    const portrait = jpegWith(exifSegment(6, "phone"));
    expect(check(withFrameSize(portrait, 750, 600), "photo")).toEqual({
      ok: true,
      contentType: "image/jpeg",
      width: 600,
      height: 750,
    });
    expect(check(withFrameSize(portrait, 600, 750), "photo")).toEqual({
      ok: false,
      reason: "photo_too_small",
    });
  });
});

describe("jpegOrientation", () => {
  it.each([
    ["no EXIF", TINY_JPEG, 1],
    ["big-endian EXIF", jpegWith(exifSegment(6, "x")), 6],
    ["little-endian EXIF", jpegWith(exifSegment(8, "x", true)), 8],
    ["EXIF without orientation", jpegWith(exifSegment(null, "x")), 1],
    ["an out-of-range orientation", jpegWith(exifSegment(9, "x")), 1],
    ["a truncated EXIF segment", jpegWith(segment(0xe1, "Exif\0\0MM\0*\0\0\0\u0008\u0000\u0005")), 1],
    ["not a JPEG", png(1, 1), 1],
  ])("%s → %i", (_, bytes, expected) => {
    expect(jpegOrientation(bytes)).toBe(expected);
  });
});

describe("stripJpegMetadata", () => {
  const GPS = "GPS 50.9513 N 1.8587 E";
  const loaded = jpegWith(
    exifSegment(6, GPS),
    segment(
      0xe1,
      `http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>50,57.08N</exif:GPSLatitude></x:xmpmeta>`,
    ),
    segment(0xe2, "ICC_PROFILE\0\u0001\u0001made on an iPhone 15 Pro"),
    segment(0xed, "Photoshop 3.0\u00008BIM caption by the owner"),
    segment(0xee, "Adobe\0d\0\0\0\0\u0001"),
    segment(0xef, "vendor data"),
    segment(0xfe, `taken at ${GPS}`),
  );

  it("removes EXIF, XMP, ICC, IPTC and comments, and keeps JFIF and Adobe", () => {
    const clean = stripJpegMetadata(loaded);
    for (const secret of [
      "GPS",
      "xmpmeta",
      "ICC_PROFILE",
      "iPhone",
      "Photoshop",
      "vendor data",
      "taken at",
    ]) {
      expect(contains(clean, secret), secret).toBe(false);
    }
    expect(contains(clean, "JFIF")).toBe(true);
    expect(contains(clean, "Adobe")).toBe(true);
    expect([clean[0], clean[1]]).toEqual([0xff, 0xd8]);
    expect([clean[clean.length - 2], clean[clean.length - 1]]).toEqual([0xff, 0xd9]);
  });

  it("keeps the picture itself byte for byte", () => {
    const clean = Buffer.from(stripJpegMetadata(loaded, { keepOrientation: false }));
    const adobe = segment(0xee, "Adobe\0d\0\0\0\0\u0001");
    expect(clean.equals(jpegWith(adobe))).toBe(true);
    expect(Buffer.from(stripJpegMetadata(TINY_JPEG)).equals(TINY_JPEG)).toBe(true);
    expect(Buffer.from(stripJpegMetadata(PROGRESSIVE_JPEG)).equals(PROGRESSIVE_JPEG)).toBe(true);
  });

  it("writes the orientation back in a minimal APP1 after APP0, and nothing else", () => {
    const clean = Buffer.from(stripJpegMetadata(loaded));
    expect(jpegOrientation(clean)).toBe(6);
    const app1 = clean.indexOf(Buffer.from([0xff, 0xe1]));
    expect(app1).toBe(20);
    expect(clean.readUInt16BE(app1 + 2)).toBe(34);
    expect(clean.indexOf(Buffer.from([0xff, 0xe1]), app1 + 2)).toBe(-1);
    expect(check(withFrameSize(clean, 750, 600), "photo")).toMatchObject({
      ok: true,
      width: 600,
      height: 750,
    });
  });

  it("leaves no APP1 at all when asked, or when the picture is upright", () => {
    expect(jpegOrientation(stripJpegMetadata(loaded, { keepOrientation: false }))).toBe(1);
    const upright = stripJpegMetadata(jpegWith(exifSegment(1, GPS)));
    expect(Buffer.from(upright).equals(TINY_JPEG)).toBe(true);
  });

  it("puts the orientation right after SOI when there is no JFIF header", () => {
    const exifOnly = join(TINY_JPEG.subarray(0, 2), exifSegment(3, GPS), TINY_JPEG.subarray(20));
    const clean = Buffer.from(stripJpegMetadata(exifOnly));
    expect(clean.indexOf(Buffer.from([0xff, 0xe1]))).toBe(2);
    expect(jpegOrientation(clean)).toBe(3);
    expect(contains(clean, "GPS")).toBe(false);
  });

  it("drops anything after EOI and passes the upload check", () => {
    const clean = stripJpegMetadata(join(loaded, bytesOf("trailing GPS data")));
    expect(contains(clean, "GPS")).toBe(false);
    expect(check(clean)).toMatchObject({ ok: true, contentType: "image/jpeg", width: 2, height: 2 });
  });

  it("refuses what is not a well-formed JPEG", () => {
    expect(() => stripJpegMetadata(png(1, 1))).toThrow();
    expect(() => stripJpegMetadata(TINY_JPEG.subarray(0, 100))).toThrow();
  });
});

describe("stripPngMetadata", () => {
  const exif = join(bytesOf("MM\0*\0\0\0\u0008"), bytesOf("GPS 50.9513 N"));
  const loaded = png(3, 2, [
    pngChunk("gAMA", Buffer.from([0, 0, 0xb1, 0x8f])),
    pngChunk("tEXt", bytesOf("Comment\0GPS 50.9513 N 1.8587 E")),
    pngChunk("zTXt", join(bytesOf("Author\0\0"), deflateSync(bytesOf("Jane Doe, Calais")))),
    pngChunk("iTXt", bytesOf("Location\0\0\0\0\0GPS Calais")),
    pngChunk("eXIf", exif),
    pngChunk("tIME", Buffer.from([0x07, 0xe9, 8, 7, 12, 0, 0])),
    pngChunk("pHYs", Buffer.from([0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1])),
    pngChunk("prVt", bytesOf("device serial 12345")),
  ]);

  it("removes text, EXIF, time and private chunks and keeps what affects rendering", () => {
    const clean = stripPngMetadata(loaded);
    expect(pngChunkTypes(clean)).toEqual(["IHDR", "gAMA", "pHYs", "IDAT", "IEND"]);
    for (const secret of ["GPS", "Calais", "Author", "serial"])
      expect(contains(clean, secret), secret).toBe(false);
    expect(check(clean)).toEqual({ ok: true, contentType: "image/png", width: 3, height: 2 });
  });

  it("keeps the pixels and every kept chunk byte for byte", () => {
    const clean = Buffer.from(stripPngMetadata(loaded));
    const idat = (bytes: Buffer) => {
      const at = bytes.indexOf(bytesOf("IDAT"));
      return inflateSync(bytes.subarray(at + 4, at + 4 + bytes.readUInt32BE(at - 4)));
    };
    expect(idat(clean).equals(idat(loaded))).toBe(true);
    expect(Buffer.from(stripPngMetadata(png(2, 2))).equals(png(2, 2))).toBe(true);
  });

  it("drops anything after IEND", () => {
    const clean = stripPngMetadata(join(png(1, 1), bytesOf("GPS")));
    expect(Buffer.from(clean).equals(png(1, 1))).toBe(true);
  });

  it("refuses what is not a well-formed PNG", () => {
    expect(() => stripPngMetadata(TINY_JPEG)).toThrow();
    expect(() => stripPngMetadata(Buffer.from(png(1, 1)).fill(0, 29, 33))).toThrow();
  });
});
