import { readdir } from "node:fs/promises";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { uploads } from "#db/schema";
import { db } from "~/.server/db.server";
import { env } from "~/.server/env.server";
import { readStoredFile } from "~/.server/storage.server";
import { loadEoi } from "~/domain/eoi/eoi.service.server";
import { MAX_FILES_PER_CASE, readUpload, saveUpload } from "~/domain/eoi/upload.service.server";
import { png } from "../../e2e/applicant";
import { setupTestDatabase } from "../../support/db";
import { completeDraft, testActor } from "../../support/eoi";

setupTestDatabase("eoi_upload");

const pdf = new TextEncoder().encode(
  "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
);

describe("uploads", () => {
  it("refuses a file whose content is not the type it claims, and stores nothing", async () => {
    const id = await completeDraft();
    const before = await readdir(env.UPLOAD_DIR).catch(() => []);
    const result = await saveUpload(
      id,
      "photo",
      { bytes: pdf, type: "image/jpeg", name: "me.jpg" },
      testActor,
    );
    expect(result).toEqual({ ok: false, reason: "type_mismatch" });
    expect(await db().select().from(uploads).where(eq(uploads.eoiId, id))).toHaveLength(0);
    expect(await readdir(env.UPLOAD_DIR).catch(() => [])).toEqual(before);
  });

  it("stores a valid file encrypted, attaches it to the draft, and replaces the previous one", async () => {
    const id = await completeDraft();
    const photo = new Uint8Array(png(600, 750));
    const first = await saveUpload(
      id,
      "photo",
      { bytes: photo, type: "image/png", name: "a.png" },
      testActor,
    );
    const second = await saveUpload(
      id,
      "photo",
      { bytes: photo, type: "image/png", name: "b.png" },
      testActor,
    );
    expect(first.ok && second.ok).toBe(true);
    const rows = await db().select().from(uploads).where(eq(uploads.eoiId, id));
    expect(rows.map((r) => [r.contentType, r.width, r.height, r.replacedAt === null])).toEqual(
      expect.arrayContaining([
        ["image/png", 600, 750, false],
        ["image/png", 600, 750, true],
      ]),
    );
    const current = second.ok ? second.id : "";
    expect((await loadEoi(id))?.answers.uploads?.photo).toBe(current);
    // On disk the bytes are not the image: encrypted at rest.
    const { readFile } = await import("node:fs/promises");
    const onDisk = await readFile(`${env.UPLOAD_DIR}/${current}`);
    expect(onDisk.subarray(1, 4).toString()).not.toBe("PNG");
    expect(
      Buffer.from(await readStoredFile(current))
        .subarray(1, 4)
        .toString(),
    ).toBe("PNG");
    // Only the application it belongs to can read it.
    const other = await completeDraft();
    expect(await readUpload(other, current, testActor)).toBeNull();
    expect((await readUpload(id, current, testActor))?.contentType).toBe("image/png");
  });

  it("stores at most MAX_FILES_PER_CASE files for an application, replaced ones included (ASVS 12.1.3)", async () => {
    const id = await completeDraft();
    const photo = new Uint8Array(png(600, 750));
    const send = (name: string) =>
      saveUpload(
        id,
        name.startsWith("p") ? "photo" : "identity_document",
        { bytes: photo, type: "image/png", name },
        testActor,
      );
    for (let i = 0; i < MAX_FILES_PER_CASE; i++)
      expect((await send(`${i % 2 ? "p" : "d"}${i}.png`)).ok).toBe(true);
    const kept = (await loadEoi(id))?.answers.uploads;
    const before = await readdir(env.UPLOAD_DIR);
    expect(await send("p-one-more.png")).toEqual({ ok: false, reason: "too_many_files" });
    // Nothing written, and the files last sent stay attached.
    expect(await db().select().from(uploads).where(eq(uploads.eoiId, id))).toHaveLength(MAX_FILES_PER_CASE);
    expect(await readdir(env.UPLOAD_DIR)).toEqual(before);
    expect((await loadEoi(id))?.answers.uploads).toEqual(kept);
  });
});
