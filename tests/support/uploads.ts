import { crc32, deflateSync } from "node:zlib";
import { MIN_PHOTO_HEIGHT, MIN_PHOTO_WIDTH } from "~/domain/uploads/file-check";

/** Byte-level builders of the files the upload checks see (tests/unit and tests/fuzz). */

// A real 2 × 2 colour JPEG (libjpeg-turbo cjpeg -quality 75 -optimize): APP0, DQT×2, SOF0, DHT×4, SOS.
export const TINY_JPEG = Buffer.from(
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAACAAIDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAf/xAAcEAACAgMBAQAAAAAAAAAAAAABAgADBAUGESH/xAAUAQEAAAAAAAAAAAAAAAAAAAAG/8QAGxEAAQQDAAAAAAAAAAAAAAAAAAECM3EDBLH/2gAMAwEAAhEDEQA/AKxx+r193E6G23BxXsfXY7M7UqSxNa+knz6YiIezSutQrsTPten/2Q==",
  "base64",
);

// A real 16 × 16 progressive JPEG (cjpeg -progressive): SOF2 and ten scans with tables between them.
export const PROGRESSIVE_JPEG = Buffer.from(
  "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZGNywtQFdBRkxOUlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT0//wgARCAAQABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAABAX/xAAVAQEBAAAAAAAAAAAAAAAAAAABBP/aAAwDAQACEAMQAAABjtW+Z//EABYQAAMAAAAAAAAAAAAAAAAAAAACA//aAAgBAQABBQJZizEmJM//xAAVEQEBAAAAAAAAAAAAAAAAAAAEAP/aAAgBAwEBPwEyb//EABcRAAMBAAAAAAAAAAAAAAAAAAABAhL/2gAIAQIBAT8BVaP/xAAUEAEAAAAAAAAAAAAAAAAAAAAg/9oACAEBAAY/Ah//xAAVEAEBAAAAAAAAAAAAAAAAAAAAYf/aAAgBAQABPyGaaKL/2gAMAwEAAgADAAAAELf/xAAWEQEBAQAAAAAAAAAAAAAAAAARACH/2gAIAQMBAT8QM2//xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oACAECAQE/EF//xAAVEAEBAAAAAAAAAAAAAAAAAAAAMf/aAAgBAQABPxCRMgRP/9k=",
  "base64",
);

export const bytesOf = (text: string) => Buffer.from(text, "latin1");
export const join = (...parts: Uint8Array[]) => Buffer.concat(parts);
export const contains = (bytes: Uint8Array, text: string) => Buffer.from(bytes).includes(bytesOf(text));

/** A JPEG marker segment: FF, marker, two length bytes, payload. */
export function segment(marker: number, payload: Uint8Array | string): Buffer {
  const data = typeof payload === "string" ? bytesOf(payload) : payload;
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(data.length + 2, 2);
  return join(head, data);
}

/** The tiny JPEG with extra segments after its APP0 (SOI is 2 bytes, APP0 is 18). */
export function jpegWith(...segments: Uint8Array[]): Buffer {
  return join(TINY_JPEG.subarray(0, 20), ...segments, TINY_JPEG.subarray(20));
}

/** Rewrites the frame size in the first SOF segment (height then width, after the precision byte). */
export function withFrameSize(jpeg: Buffer, width: number, height: number): Buffer {
  const copy = Buffer.from(jpeg);
  const sof = copy.indexOf(Buffer.from([0xff, 0xc0]));
  copy.writeUInt16BE(height, sof + 5);
  copy.writeUInt16BE(width, sof + 7);
  return copy;
}

/** An APP1 "Exif" segment: a TIFF header and IFD0 with Orientation and an ImageDescription. */
export function exifSegment(orientation: number | null, description: string, littleEndian = false): Buffer {
  const entries: Array<[tag: number, type: number, count: number, value: number]> = [];
  if (orientation !== null) entries.push([0x0112, 3, 1, orientation]);
  const text = `${description}\0`;
  const dataOffset = 8 + 2 + (entries.length + 1) * 12 + 4;
  entries.push([0x010e, 2, text.length, dataOffset]);
  const tiff = Buffer.alloc(dataOffset + text.length);
  const u16 = (value: number, at: number) =>
    (littleEndian ? tiff.writeUInt16LE : tiff.writeUInt16BE).call(tiff, value, at);
  const u32 = (value: number, at: number) =>
    (littleEndian ? tiff.writeUInt32LE : tiff.writeUInt32BE).call(tiff, value, at);
  tiff.write(littleEndian ? "II" : "MM", 0, "latin1");
  u16(42, 2);
  u32(8, 4);
  u16(entries.length, 8);
  entries.forEach(([tag, type, count, value], n) => {
    const at = 10 + n * 12;
    u16(tag, at);
    u16(type, at + 2);
    u32(count, at + 4);
    if (type === 3) u16(value, at + 8);
    else u32(value, at + 8);
  });
  tiff.write(text, dataOffset, "latin1");
  return segment(0xe1, join(bytesOf("Exif\0\0"), tiff));
}

export function pngChunk(type: string, data: Uint8Array = new Uint8Array()): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(join(bytesOf(type), data)), 0);
  return join(head, data, crc);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A valid greyscale PNG with correct CRCs; `extra` chunks go between IHDR and IDAT. */
/** The IHDR chunk of an 8-bit greyscale PNG (deflate, adaptive filtering, no interlace). */
export function pngHeader(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8);
  return pngChunk("IHDR", header);
}

export function png(width: number, height: number, extra: Buffer[] = []): Buffer {
  const rows = Buffer.alloc(height * (width + 1), 0x80);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter type None
  return join(
    PNG_SIGNATURE,
    pngHeader(width, height),
    ...extra,
    pngChunk("IDAT", deflateSync(rows)),
    pngChunk("IEND"),
  );
}

export function pngChunkTypes(bytes: Uint8Array): string[] {
  const buffer = Buffer.from(bytes);
  const types: string[] = [];
  for (let pos = 8; pos < buffer.length; pos += buffer.readUInt32BE(pos) + 12) {
    types.push(buffer.toString("latin1", pos + 4, pos + 8));
  }
  return types;
}

export function pdf(body = "", tail = ""): Buffer {
  return bytesOf(
    [
      "%PDF-1.7",
      "%\u00e2\u00e3\u00cf\u00d3",
      "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj",
      "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj",
      "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj",
      body,
      "trailer << /Root 1 0 R >>",
      "startxref",
      "0",
      "%%EOF",
      tail,
    ].join("\n"),
  );
}

export const MINIMAL_PDF = pdf();
export const PHOTO_PNG = png(MIN_PHOTO_WIDTH, MIN_PHOTO_HEIGHT);
export const PHOTO_JPEG = withFrameSize(TINY_JPEG, MIN_PHOTO_WIDTH, MIN_PHOTO_HEIGHT);
export const HTML = bytesOf("<!doctype html><html><script>alert(1)</script></html>");

export function heif(brand: string): Buffer {
  return join(Buffer.from([0, 0, 0, 0x18]), bytesOf(`ftyp${brand}\0\0\0\0mif1heic`), Buffer.alloc(64));
}
