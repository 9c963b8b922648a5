/**
 * Upload checks by content, never by file name or the browser's claimed type (domain.md Part A §11).
 *
 * Accepted (document these in the README):
 * - identity document and relationship evidence: JPEG, PNG or PDF, at most 10 MB;
 * - photograph: JPEG or PNG, at most 5 MB, at least 600 × 750 pixels as displayed.
 * (1 MB here is 1024 × 1024 bytes.) No picture may have more than 100 million pixels.
 *
 * `checkUpload` gives the first reason that applies, in this order: empty, too_large,
 * heic_not_supported, unsupported_type / type_mismatch (content is none of the accepted types),
 * type_mismatch (name or claimed type disagree with the content), pdf_not_allowed_for_photo,
 * corrupt, pdf_has_javascript (script, launch, embedded files, or an action run on opening or on
 * an event), polyglot, too_large (pixels: a decompression bomb), photo_too_small.
 *
 * Accepted images should be stored after `stripJpegMetadata` / `stripPngMetadata`, so that the
 * GPS position, device and times recorded by phones are not kept.
 */

export type UploadKind = "identity_document" | "photo" | "relationship_evidence";
export type UploadContentType = "image/jpeg" | "image/png" | "application/pdf";
export type ImageContentType = Exclude<UploadContentType, "application/pdf">;

export type UploadRejection =
  | "empty"
  | "too_large"
  | "unsupported_type"
  | "heic_not_supported"
  | "type_mismatch"
  | "photo_too_small"
  | "pdf_not_allowed_for_photo"
  | "pdf_has_javascript"
  | "polyglot"
  | "corrupt";

export type UploadCheck =
  | { ok: true; contentType: UploadContentType; width?: number; height?: number }
  | { ok: false; reason: UploadRejection };

export interface UploadInput {
  bytes: Uint8Array;
  kind: UploadKind;
  /** The Content-Type the browser sent for the file part, if any. */
  claimedType?: string;
  fileName?: string;
}

const MB = 1024 * 1024;
export const MAX_DOCUMENT_BYTES = 10 * MB;
export const MAX_PHOTO_BYTES = 5 * MB;
export const MIN_PHOTO_WIDTH = 600;
export const MIN_PHOTO_HEIGHT = 750;
/** Bytes allowed after a JPEG's EOI or a PNG's IEND (some encoders pad); more is treated as hidden content. */
export const MAX_TRAILING_BYTES = 1024;
/** A PDF's last "%%EOF" must lie within this many bytes of the end (as readers expect). */
export const PDF_EOF_WINDOW = 1024;
/**
 * More pixels than any phone takes within the size limits: a small file that decodes to
 * gigabytes (a decompression bomb) would hang the caseworker's browser that shows it.
 */
export const MAX_IMAGE_PIXELS = 100_000_000;

export const ACCEPTED_CONTENT_TYPES: Readonly<Record<UploadKind, readonly UploadContentType[]>> = {
  identity_document: ["image/jpeg", "image/png", "application/pdf"],
  photo: ["image/jpeg", "image/png"],
  relationship_evidence: ["image/jpeg", "image/png", "application/pdf"],
};

export function maxBytesFor(kind: UploadKind): number {
  return kind === "photo" ? MAX_PHOTO_BYTES : MAX_DOCUMENT_BYTES;
}

// ---------------------------------------------------------------------------------------------
// Byte helpers

const ascii = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));
const at = (bytes: Uint8Array, i: number) => bytes[i] ?? -1;
const u16be = (bytes: Uint8Array, i: number) => (at(bytes, i) << 8) | at(bytes, i + 1);

function readU32be(bytes: Uint8Array, i: number): number {
  return at(bytes, i) * 0x1000000 + at(bytes, i + 1) * 0x10000 + at(bytes, i + 2) * 0x100 + at(bytes, i + 3);
}

function startsWith(bytes: Uint8Array, signature: Uint8Array, offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  for (let i = 0; i < signature.length; i++) if (bytes[offset + i] !== signature[i]) return false;
  return true;
}

/** Index of `needle` in bytes[from, to), or -1. With ignoreCase, `needle` must be lower case. */
function indexOf(
  bytes: Uint8Array,
  needle: Uint8Array,
  from = 0,
  to = bytes.length,
  ignoreCase = false,
): number {
  const first = needle[0] as number;
  const firstUpper = ignoreCase && first >= 0x61 && first <= 0x7a ? first - 0x20 : first;
  for (let i = Math.max(0, from); i <= to - needle.length; i++) {
    const c = bytes[i];
    if (c !== first && c !== firstUpper) continue;
    let k = 1;
    for (; k < needle.length; k++) {
      let b = bytes[i + k] as number;
      if (ignoreCase && b >= 0x41 && b <= 0x5a) b += 0x20;
      if (b !== needle[k]) break;
    }
    if (k === needle.length) return i;
  }
  return -1;
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sniffing

const JPEG_MAGIC = Uint8Array.of(0xff, 0xd8, 0xff);
const PNG_MAGIC = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const PDF_MAGIC = ascii("%PDF-");
const FTYP = ascii("ftyp");
// Major brands of HEIF files as iPhones and Android phones write them.
const HEIF_BRANDS = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1"]);

/** The type the content really is, by magic number; null for anything else (GIF, WebP, HEIC, SVG, ZIP, HTML…). */
export function sniffType(bytes: Uint8Array): UploadContentType | null {
  if (startsWith(bytes, JPEG_MAGIC)) return "image/jpeg";
  if (startsWith(bytes, PNG_MAGIC)) return "image/png";
  if (startsWith(bytes, PDF_MAGIC)) return "application/pdf";
  return null;
}

/** A HEIF/HEIC picture (the iPhone default): an ISO-BMFF `ftyp` box with a HEIF brand at offset 4. */
export function isHeic(bytes: Uint8Array): boolean {
  if (!startsWith(bytes, FTYP, 4) || bytes.length < 12) return false;
  return HEIF_BRANDS.has(String.fromCharCode(...bytes.subarray(8, 12)));
}

// ---------------------------------------------------------------------------------------------
// JPEG

interface JpegSegment {
  marker: number;
  /** Position of the marker's first 0xFF (fill bytes included). */
  start: number;
  /** Start of the payload, after the two length bytes (== end for markers without payload). */
  dataStart: number;
  /** End, exclusive; for SOS this includes the entropy-coded data that follows. */
  end: number;
}

interface JpegLayout {
  segments: JpegSegment[];
  width: number;
  height: number;
  /** Offset just after the EOI marker. */
  end: number;
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP0 = 0xe0;
const APP1 = 0xe1;
const APP14 = 0xee;
const APP15 = 0xef;
const COM = 0xfe;

// SOF0–SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
const isStandalone = (marker: number) => (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01;

/** Walks the marker segments from SOI to EOI; null if the structure is broken or incomplete. */
function parseJpeg(bytes: Uint8Array): JpegLayout | null {
  if (at(bytes, 0) !== 0xff || at(bytes, 1) !== SOI) return null;
  const segments: JpegSegment[] = [{ marker: SOI, start: 0, dataStart: 2, end: 2 }];
  let width = 0;
  let height = 0;
  let scans = 0;
  let pos = 2;
  while (pos < bytes.length) {
    if (bytes[pos] !== 0xff) return null;
    const start = pos;
    while (bytes[pos] === 0xff) pos++;
    if (pos >= bytes.length) return null;
    const marker = bytes[pos] as number;
    pos++;
    if (marker === EOI) {
      segments.push({ marker, start, dataStart: pos, end: pos });
      return scans > 0 && width > 0 && height > 0 ? { segments, width, height, end: pos } : null;
    }
    if (marker === SOI || marker === 0x00) return null;
    if (isStandalone(marker)) {
      segments.push({ marker, start, dataStart: pos, end: pos });
      continue;
    }
    if (pos + 2 > bytes.length) return null;
    const length = u16be(bytes, pos);
    if (length < 2 || pos + length > bytes.length) return null;
    const dataStart = pos + 2;
    let end = pos + length;
    if (isStartOfFrame(marker) && width === 0) {
      if (length < 8) return null;
      height = u16be(bytes, dataStart + 1);
      width = u16be(bytes, dataStart + 3);
    }
    if (marker === SOS) {
      scans++;
      // Entropy-coded data runs to the next marker; FF 00 is an escaped FF and FF D0–D7 are restarts.
      while (true) {
        if (end + 1 >= bytes.length) return null;
        if (bytes[end] === 0xff) {
          const next = bytes[end + 1] as number;
          if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7)) break;
          end++;
        }
        end++;
      }
    }
    segments.push({ marker, start, dataStart, end });
    pos = end;
  }
  return null;
}

const EXIF_HEADER = Uint8Array.of(0x45, 0x78, 0x69, 0x66, 0x00, 0x00); // "Exif\0\0"
const ORIENTATION_TAG = 0x0112;

/** EXIF orientation (1–8) from the first Exif APP1 segment; 1 when absent or unreadable. */
function orientationFrom(bytes: Uint8Array, layout: JpegLayout): number {
  const app1 = layout.segments.find(
    (segment) => segment.marker === APP1 && startsWith(bytes, EXIF_HEADER, segment.dataStart),
  );
  if (!app1) return 1;
  const tiff = app1.dataStart + EXIF_HEADER.length;
  const end = app1.end;
  if (tiff + 8 > end) return 1;
  const order = u16be(bytes, tiff);
  if (order !== 0x4949 && order !== 0x4d4d) return 1;
  const little = order === 0x4949;
  const read16 = (i: number) => (little ? at(bytes, i) | (at(bytes, i + 1) << 8) : u16be(bytes, i));
  const read32 = (i: number) =>
    little ? read16(i) + read16(i + 2) * 0x10000 : read16(i) * 0x10000 + read16(i + 2);
  if (read16(tiff + 2) !== 42) return 1;
  const ifd = tiff + read32(tiff + 4);
  if (ifd + 2 > end) return 1;
  const count = read16(ifd);
  for (let n = 0; n < count; n++) {
    const entry = ifd + 2 + n * 12;
    if (entry + 12 > end) return 1;
    if (read16(entry) === ORIENTATION_TAG && read16(entry + 2) === 3) {
      const value = read16(entry + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

/** EXIF orientation of a JPEG (1–8; 5–8 mean the picture is shown turned by a quarter). */
export function jpegOrientation(bytes: Uint8Array): number {
  const layout = parseJpeg(bytes);
  return layout ? orientationFrom(bytes, layout) : 1;
}

/** An APP1 segment holding only an orientation tag: big-endian TIFF, one IFD entry, no next IFD. */
function orientationSegment(orientation: number): Uint8Array {
  // biome-ignore format: one TIFF field per line
  return new Uint8Array([
    0xff, APP1, 0x00, 0x22, ...EXIF_HEADER,
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // "MM", 42, first IFD at offset 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, orientation, 0x00, 0x00, // Orientation, SHORT, 1
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ]);
}

/**
 * A copy of the JPEG without APP1–APP13 and APP15 (EXIF, XMP, ICC, IPTC, maker notes…) and
 * comments, and without anything after EOI. APP0 (JFIF), APP14 (Adobe colour transform) and all
 * tables and scans are kept, so it decodes as before. Phones store portraits sideways with an
 * EXIF orientation; unless `keepOrientation` is false that one tag is written back in a minimal
 * APP1 so the picture is not shown turned. Throws if the bytes are not a well-formed JPEG.
 */
export function stripJpegMetadata(
  bytes: Uint8Array,
  options: { keepOrientation?: boolean } = {},
): Uint8Array<ArrayBuffer> {
  const layout = parseJpeg(bytes);
  if (!layout) throw new Error("not a well-formed JPEG");
  const orientation = options.keepOrientation === false ? 1 : orientationFrom(bytes, layout);
  const kept = layout.segments.filter(
    ({ marker }) => !((marker >= APP1 && marker <= APP15 && marker !== APP14) || marker === COM),
  );
  // EXIF goes right after SOI, or after a leading JFIF APP0.
  const orientationAt = kept[1]?.marker === APP0 ? 2 : 1;
  const parts: Uint8Array[] = [];
  for (const [index, segment] of kept.entries()) {
    if (index === orientationAt && orientation !== 1) parts.push(orientationSegment(orientation));
    parts.push(bytes.subarray(segment.start, segment.end));
  }
  return concat(parts);
}

// ---------------------------------------------------------------------------------------------
// PNG

interface PngChunk {
  type: string;
  start: number;
  end: number;
}

interface PngLayout {
  chunks: PngChunk[];
  width: number;
  height: number;
  /** Offset just after the IEND chunk. */
  end: number;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0xffffffff;
  for (let i = from; i < to; i++)
    crc = (CRC_TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const isChunkType = (bytes: Uint8Array, i: number) => {
  for (let k = i; k < i + 4; k++) {
    const c = at(bytes, k) | 0x20;
    if (c < 0x61 || c > 0x7a) return false;
  }
  return true;
};

/** Walks the chunks from IHDR to IEND, checking every CRC; null if broken or incomplete. */
function parsePng(bytes: Uint8Array): PngLayout | null {
  if (!startsWith(bytes, PNG_MAGIC)) return null;
  const chunks: PngChunk[] = [];
  let width = 0;
  let height = 0;
  let hasImageData = false;
  let pos = PNG_MAGIC.length;
  while (pos + 12 <= bytes.length) {
    const length = readU32be(bytes, pos);
    if (length > bytes.length - pos - 12 || !isChunkType(bytes, pos + 4)) return null;
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    const dataEnd = pos + 8 + length;
    if (crc32(bytes, pos + 4, dataEnd) !== readU32be(bytes, dataEnd)) return null;
    if (chunks.length === 0) {
      if (type !== "IHDR" || length !== 13) return null;
      width = readU32be(bytes, pos + 8);
      height = readU32be(bytes, pos + 12);
      if (width === 0 || height === 0) return null;
    }
    if (type === "IDAT") hasImageData = true;
    chunks.push({ type, start: pos, end: dataEnd + 4 });
    pos = dataEnd + 4;
    if (type === "IEND") return hasImageData ? { chunks, width, height, end: pos } : null;
  }
  return null;
}

// Ancillary chunks that change how the picture looks; every other ancillary chunk (tEXt, zTXt,
// iTXt, eXIf, tIME, private chunks, animation) is dropped. Critical chunks are always kept.
const PNG_RENDERING_CHUNKS = new Set([
  "tRNS",
  "gAMA",
  "cHRM",
  "sRGB",
  "iCCP",
  "sBIT",
  "pHYs",
  "bKGD",
  "cICP",
]);

/**
 * A copy of the PNG keeping only the critical chunks and those that affect rendering: text
 * (tEXt/zTXt/iTXt), EXIF (eXIf), timestamps (tIME) and any other ancillary chunk are removed,
 * as is anything after IEND. Throws if the bytes are not a well-formed PNG.
 */
export function stripPngMetadata(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const layout = parsePng(bytes);
  if (!layout) throw new Error("not a well-formed PNG");
  const kept = layout.chunks.filter(
    (chunk) => chunk.type.charCodeAt(0) < 0x61 || PNG_RENDERING_CHUNKS.has(chunk.type),
  );
  return concat([PNG_MAGIC, ...kept.map((chunk) => bytes.subarray(chunk.start, chunk.end))]);
}

// ---------------------------------------------------------------------------------------------
// Dimensions

/** Pixel size as stored (for a JPEG, before any EXIF rotation); null if the image is not well formed. */
export function imageDimensions(
  bytes: Uint8Array,
  type: ImageContentType,
): { width: number; height: number } | null {
  const layout = type === "image/jpeg" ? parseJpeg(bytes) : parsePng(bytes);
  return layout ? { width: layout.width, height: layout.height } : null;
}

// ---------------------------------------------------------------------------------------------
// Hidden content

// Markup or a PDF inside a picture lets it be served or opened as something else.
// Matched in any case, so written in lower case.
const EMBEDDED_SIGNATURES = ["%pdf-", "<script", "<html"].map(ascii);
// A ZIP header is four bytes, so it would turn up by chance in large images: only look after the picture.
const TRAILING_SIGNATURES = [ascii("PK\u0003\u0004")];

function hasHiddenContent(bytes: Uint8Array, imageEnd: number): boolean {
  if (bytes.length - imageEnd > MAX_TRAILING_BYTES) return true;
  if (TRAILING_SIGNATURES.some((signature) => indexOf(bytes, signature, imageEnd) >= 0)) return true;
  return EMBEDDED_SIGNATURES.some((signature) => indexOf(bytes, signature, 0, bytes.length, true) >= 0);
}

// ---------------------------------------------------------------------------------------------
// PDF

const PDF_EOF = ascii("%%EOF");
const STREAM = ascii("stream");
const END_STREAM = ascii("endstream");
// Names that run code or carry other files when the PDF is opened. A JavaScript action always
// has /S /JavaScript, so an /OpenAction or /AA that runs script is caught by its name too.
// /AA (actions on events: a page opened, a field left) is refused whatever it runs, and so is an
// /OpenAction other than a destination (a web address fetched, a form sent, as the file opens).
const PDF_ACTIVE_NAMES = new Set([
  "JavaScript",
  "JS",
  "Launch",
  "EmbeddedFile",
  "EmbeddedFiles",
  "AA",
  "OpenAction",
]);
// Too short to look for inside binary stream data, where they would turn up by chance.
const PDF_SHORT_NAMES = new Set(["JS", "AA"]);
const MAX_ACTIVE_NAME = Math.max(...[...PDF_ACTIVE_NAMES].map((name) => name.length));

const isPdfWhitespace = (c: number) =>
  c === 0x00 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x20;
const isPdfDelimiter = (c: number) => c >= 0 && "()<>[]{}/%".includes(String.fromCharCode(c));
const isPdfRegular = (c: number) => c >= 0 && !isPdfWhitespace(c) && !isPdfDelimiter(c);

/** [start, end) of each stream body, found by its keywords. */
function pdfStreams(bytes: Uint8Array): Array<[number, number]> {
  const streams: Array<[number, number]> = [];
  let i = indexOf(bytes, STREAM);
  while (i >= 0) {
    const next = at(bytes, i + STREAM.length);
    if (!isPdfRegular(at(bytes, i - 1)) && (next === 0x0d || next === 0x0a)) {
      const end = indexOf(bytes, END_STREAM, i + STREAM.length);
      if (end < 0) break;
      streams.push([i + STREAM.length, end]);
      i = indexOf(bytes, STREAM, end + END_STREAM.length);
    } else {
      i = indexOf(bytes, STREAM, i + 1);
    }
  }
  return streams;
}

function skipPdfWhitespace(bytes: Uint8Array, i: number): number {
  while (isPdfWhitespace(at(bytes, i))) i++;
  return i;
}

/** Start of the body of object `number generation obj` (after "obj"), or -1 if it is not in plain sight. */
function pdfObject(bytes: Uint8Array, number: string, generation: string): number {
  const header = ascii(`${number} ${generation} obj`);
  for (let i = indexOf(bytes, header); i >= 0; i = indexOf(bytes, header, i + 1)) {
    if (!isPdfRegular(at(bytes, i - 1)) && !isPdfRegular(at(bytes, i + header.length)))
      return i + header.length;
  }
  return -1;
}

/**
 * Whether the value of /OpenAction at `i` is an action: anything but a destination array (the
 * page the file opens at), followed once through an indirect reference ("12 0 R"). A reference
 * to an object that is not in plain sight (in a compressed object stream) is not seen.
 */
function isOpeningAction(bytes: Uint8Array, i: number, follow = true): boolean {
  const start = skipPdfWhitespace(bytes, i);
  if (at(bytes, start) === 0x5b) return false;
  const reference = /^(\d+)\s+(\d+)\s+R(?![^\s()<>[\]{}/%])/.exec(
    String.fromCharCode(...bytes.subarray(start, start + 24)),
  );
  if (!reference) return true;
  const body = pdfObject(bytes, reference[1] as string, reference[2] as string);
  return follow && body >= 0 && isOpeningAction(bytes, body, false);
}

/**
 * Whether the PDF uses one of the active names, spelt plainly or with #xx escapes
 * ("/J#61vaScript"). Names inside compressed object streams are not seen.
 */
function pdfHasActiveContent(bytes: Uint8Array): boolean {
  const streams = pdfStreams(bytes);
  let stream = 0;
  for (let i = bytes.indexOf(0x2f); i >= 0; i = bytes.indexOf(0x2f, i + 1)) {
    let name = "";
    let j = i + 1;
    // Long runs of regular bytes in binary data are skipped, not collected: no active name is that long.
    for (; isPdfRegular(at(bytes, j)) && name.length <= MAX_ACTIVE_NAME; j++) {
      const hex = at(bytes, j) === 0x23 ? String.fromCharCode(at(bytes, j + 1), at(bytes, j + 2)) : "";
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        name += String.fromCharCode(Number.parseInt(hex, 16));
        j += 2;
      } else {
        name += String.fromCharCode(at(bytes, j));
      }
    }
    if (!PDF_ACTIVE_NAMES.has(name) || isPdfRegular(at(bytes, j))) continue;
    while (stream < streams.length && (streams[stream] as [number, number])[1] <= i) stream++;
    const inStream = stream < streams.length && (streams[stream] as [number, number])[0] <= i;
    if (inStream && PDF_SHORT_NAMES.has(name)) continue;
    if (name !== "OpenAction" || isOpeningAction(bytes, j)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Claimed types

const MIME_TYPES: Readonly<Record<string, UploadContentType>> = {
  "image/jpeg": "image/jpeg",
  "image/jpg": "image/jpeg",
  "image/pjpeg": "image/jpeg",
  "image/png": "image/png",
  "image/x-png": "image/png",
  "application/pdf": "application/pdf",
  "application/x-pdf": "application/pdf",
};
// What browsers send when they do not know.
const NO_CLAIM_MIME_TYPES = new Set(["", "application/octet-stream"]);

const EXTENSIONS: Readonly<Record<string, UploadContentType>> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  jpe: "image/jpeg",
  jfif: "image/jpeg",
  png: "image/png",
  pdf: "application/pdf",
};

type Claim = UploadContentType | "other";

// Own keys only: a name such as "photo.constructor" must not find Object's.
const lookUp = (table: Readonly<Record<string, UploadContentType>>, key: string): Claim =>
  Object.hasOwn(table, key) ? (table[key] as UploadContentType) : "other";

function claimsOf(claimedType: string | undefined, fileName: string | undefined): Claim[] {
  const claims: Claim[] = [];
  if (claimedType !== undefined) {
    const mime = (claimedType.split(";")[0] ?? "").trim().toLowerCase();
    if (!NO_CLAIM_MIME_TYPES.has(mime)) claims.push(lookUp(MIME_TYPES, mime));
  }
  if (fileName !== undefined) {
    const base = (fileName.split(/[/\\]/).pop() ?? "").replace(/[\s.]+$/, "");
    const dot = base.lastIndexOf(".");
    if (dot > 0) claims.push(lookUp(EXTENSIONS, base.slice(dot + 1).toLowerCase()));
  }
  return claims;
}

// ---------------------------------------------------------------------------------------------

const reject = (reason: UploadRejection): UploadCheck => ({ ok: false, reason });

/** Checks an upload by its content; see the top of this file for the order of reasons. */
export function checkUpload({ bytes, kind, claimedType, fileName }: UploadInput): UploadCheck {
  if (bytes.length === 0) return reject("empty");
  if (bytes.length > maxBytesFor(kind)) return reject("too_large");
  if (isHeic(bytes)) return reject("heic_not_supported");

  const contentType = sniffType(bytes);
  const claims = claimsOf(claimedType, fileName);
  if (contentType === null) {
    // Something posing as an accepted type (an HTML page named photo.png) is a mismatch.
    return reject(claims.some((claim) => claim !== "other") ? "type_mismatch" : "unsupported_type");
  }
  if (claims.some((claim) => claim !== contentType)) return reject("type_mismatch");
  if (!ACCEPTED_CONTENT_TYPES[kind].includes(contentType)) {
    return reject(contentType === "application/pdf" ? "pdf_not_allowed_for_photo" : "unsupported_type");
  }

  if (contentType === "application/pdf") {
    if (indexOf(bytes, PDF_EOF, bytes.length - PDF_EOF_WINDOW) < 0) return reject("corrupt");
    if (pdfHasActiveContent(bytes)) return reject("pdf_has_javascript");
    return { ok: true, contentType };
  }

  const jpeg = contentType === "image/jpeg" ? parseJpeg(bytes) : null;
  const layout = jpeg ?? (contentType === "image/png" ? parsePng(bytes) : null);
  if (!layout) return reject("corrupt");
  if (hasHiddenContent(bytes, layout.end)) return reject("polyglot");
  if (layout.width * layout.height > MAX_IMAGE_PIXELS) return reject("too_large");

  // Size as displayed: EXIF orientations 5–8 swap width and height.
  const turned = jpeg !== null && orientationFrom(bytes, jpeg) >= 5;
  const width = turned ? layout.height : layout.width;
  const height = turned ? layout.width : layout.height;
  if (kind === "photo" && (width < MIN_PHOTO_WIDTH || height < MIN_PHOTO_HEIGHT))
    return reject("photo_too_small");
  return { ok: true, contentType, width, height };
}
