import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { decryptBytes, encryptBytes } from "./crypto.server";
import { env } from "./env.server";

// Uploaded files live outside the web root (UPLOAD_DIR, default .data/uploads), named by their
// database id and encrypted at rest with the data key: identity documents are as sensitive as it gets.
const dir = () => resolve(env.UPLOAD_DIR);

const safeName = (id: string) => {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error("invalid file id");
  return id;
};

/** Writes atomically (temp file + rename) so a crash never leaves half a file under the id. */
export async function storeFile(id: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dir(), { recursive: true, mode: 0o700 });
  const target = join(dir(), safeName(id));
  await writeFile(`${target}.tmp`, encryptBytes(bytes), { mode: 0o600 });
  await rename(`${target}.tmp`, target);
}

export async function readStoredFile(id: string): Promise<Uint8Array> {
  return decryptBytes(await readFile(join(dir(), safeName(id))));
}

/**
 * An uploaded file sent back to its owner or a caseworker: shown inline, never run as a page
 * (sandboxed, no sniffing) and never cached.
 */
export function uploadedFileResponse(file: { contentType: string; bytes: Uint8Array }): Response {
  return new Response(Buffer.from(file.bytes), {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": "inline",
      "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
