import { createHash } from "node:crypto";
import { and, count, eq, isNull } from "drizzle-orm";
import { uploads } from "../../../db/schema";
import { db } from "../../.server/db.server";
import { readStoredFile, storeFile } from "../../.server/storage.server";
import type { Actor } from "../audit/audit.server";
import { audit } from "../audit/audit.server";
import { isUuid } from "../cases/cases.rules";
import { checkUpload, stripJpegMetadata, stripPngMetadata } from "../uploads/file-check";
import { saveAnswers } from "./eoi.service.server";

export type UploadKind = (typeof uploads.$inferInsert)["kind"];

export type UploadResult = { ok: true; id: string } | { ok: false; reason: string };

/**
 * Files an application may store in all, replaced ones included (they are kept for caseworkers):
 * one person cannot fill the disk by replacing a photo in a loop (ASVS 12.1.3). Enough for several
 * tries at each of the three kinds. Checked before the file is written, without a lock: uploads
 * racing for the last places may all pass, so the excess is at most the number racing.
 */
export const MAX_FILES_PER_CASE = 20;

/**
 * Checks the file by its content (never its name or claimed type), strips metadata such as GPS
 * position from photos, encrypts it to disk outside the web root, and records it on the draft.
 * A new file of the same kind replaces the previous one.
 */
export async function saveUpload(
  eoiId: string,
  kind: UploadKind,
  file: { bytes: Uint8Array; type?: string; name?: string },
  actor: Actor,
): Promise<UploadResult> {
  const [stored] = await db().select({ n: count() }).from(uploads).where(eq(uploads.eoiId, eoiId));
  if ((stored?.n ?? 0) >= MAX_FILES_PER_CASE) return { ok: false, reason: "too_many_files" };
  const checked = checkUpload({ bytes: file.bytes, kind, claimedType: file.type, fileName: file.name });
  if (!checked.ok) return { ok: false, reason: checked.reason };
  const clean =
    checked.contentType === "image/jpeg"
      ? stripJpegMetadata(file.bytes)
      : checked.contentType === "image/png"
        ? stripPngMetadata(file.bytes)
        : file.bytes;
  const id = crypto.randomUUID();
  const sha256 = createHash("sha256").update(clean).digest("hex");
  // The file is on disk before any row points at it; a crash in between leaves only an orphan.
  await storeFile(id, clean);
  await db().transaction(async (tx) => {
    await tx
      .update(uploads)
      .set({ replacedAt: new Date() })
      .where(and(eq(uploads.eoiId, eoiId), eq(uploads.kind, kind), isNull(uploads.replacedAt)));
    await tx.insert(uploads).values({
      id,
      eoiId,
      kind,
      contentType: checked.contentType,
      sizeBytes: clean.byteLength,
      sha256,
      width: checked.width ?? null,
      height: checked.height ?? null,
    });
    await audit(tx, actor, "upload.saved", { type: "eoi", id: eoiId }, { kind, uploadId: id });
  });
  await saveAnswers(
    eoiId,
    (a) => ({ ...a, uploads: { ...a.uploads, [kind]: id } }),
    actor,
    "eoi.upload_attached",
  );
  return { ok: true, id };
}

/** A stored file for its owner (or staff), with the type it was checked to be; null if not theirs. */
export async function readUpload(eoiId: string, uploadId: string, actor: Actor) {
  // An id from the URL that is not a UUID is simply not found (PostgreSQL would refuse the query).
  if (!isUuid(uploadId)) return null;
  const [row] = await db()
    .select()
    .from(uploads)
    .where(and(eq(uploads.id, uploadId), eq(uploads.eoiId, eoiId)));
  if (!row) return null;
  await audit(db(), actor, "upload.viewed", { type: "eoi", id: eoiId }, { uploadId });
  return { contentType: row.contentType, bytes: await readStoredFile(row.id) };
}
