import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { requireDraft, requireDraftSession } from "~/.server/applicant.server";
import {
  commitSession,
  destroySession,
  draftRowOf,
  getSession,
  purgeExpiredSessions,
  rotateSession,
} from "~/.server/session.server";
import { eois, sessions } from "../../../db/schema";
import { setupTestDatabase } from "../../support/db";
import { completeDraft } from "../../support/eoi";
import { routeContext } from "../../support/staff";

const database = setupTestDatabase("session");

/** A request carrying the cookie a Set-Cookie header gave the browser. */
const requestWith = (setCookie?: string) =>
  new Request("http://localhost/fr/status", {
    headers: setCookie ? { Cookie: setCookie.split(";")[0] ?? "" } : {},
  });

const hashOf = (id: string) => createHash("sha256").update(id).digest("base64url");

async function start(data: Record<string, unknown>, minutes?: number) {
  const session = await getSession(requestWith());
  for (const [key, value] of Object.entries(data)) session.set(key, value);
  const setCookie = await commitSession(session, minutes);
  const { id } = await getSession(requestWith(setCookie));
  return { setCookie, id };
}

describe("sessions", () => {
  it("are created in the database with only a signed id in the cookie", async () => {
    const { setCookie, id } = await start({ subject: "applicant:1", lang: "ar" });
    expect(setCookie).toMatch(/^session=[^;]+; /);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toContain("applicant");
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The row is keyed by a hash of the id, so a leaked row cannot be replayed as a cookie.
    const rows = await database.db.select().from(sessions);
    expect(rows.some((r) => r.id === id)).toBe(false);
    const [row] = await database.db
      .select()
      .from(sessions)
      .where(eq(sessions.id, hashOf(id)));
    expect(row).toMatchObject({ subject: "applicant:1", data: { subject: "applicant:1", lang: "ar" } });
    expect(row?.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 60_000);
  });

  it("are read back from the cookie", async () => {
    const { setCookie } = await start({ subject: "applicant:2" });
    const session = await getSession(requestWith(setCookie));
    expect(session.get("subject")).toBe("applicant:2");
  });

  it("are empty for a missing, tampered or unknown cookie", async () => {
    const { setCookie } = await start({ subject: "applicant:3" });
    const tampered = setCookie.replace(/^session=(.)/, (_, c: string) => `session=${c === "e" ? "f" : "e"}`);
    for (const cookie of [undefined, tampered, "session=abc; Path=/"]) {
      expect((await getSession(requestWith(cookie))).get("subject"), String(cookie)).toBeUndefined();
    }
  });

  it("are updated in place when committed again", async () => {
    const { setCookie, id } = await start({ subject: "applicant:4" });
    const session = await getSession(requestWith(setCookie));
    session.set("step", "nationality");
    await commitSession(session);
    const again = await getSession(requestWith(setCookie));
    expect(again.id).toBe(id);
    expect(again.get("step")).toBe("nationality");
  });

  it("are ended for good when destroyed", async () => {
    const { setCookie, id } = await start({ subject: "applicant:5" });
    const cleared = await destroySession(await getSession(requestWith(setCookie)));
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(
      await database.db
        .select()
        .from(sessions)
        .where(eq(sessions.id, hashOf(id))),
    ).toEqual([]);
    expect((await getSession(requestWith(setCookie))).get("subject")).toBeUndefined();
  });

  it("get a new id on rotation, and the old cookie stops working", async () => {
    const { setCookie: before, id: oldId } = await start({ subject: "anonymous" });
    const after = await rotateSession(requestWith(before), { subject: "staff:1" }, 15);
    const fresh = await getSession(requestWith(after));
    expect(fresh.id).not.toBe(oldId);
    expect(fresh.get("subject")).toBe("staff:1");
    expect((await getSession(requestWith(before))).get("subject")).toBeUndefined();
    expect(
      await database.db
        .select()
        .from(sessions)
        .where(eq(sessions.id, hashOf(oldId))),
    ).toEqual([]);
  });

  it("are read once per request, however many loaders ask", async () => {
    const { setCookie } = await start({ subject: "applicant:7" });
    const request = requestWith(setCookie);
    const first = await getSession(request);
    expect(await getSession(request)).toBe(first);
    expect(await getSession(requestWith(setCookie))).not.toBe(first);
  });

  it("bring the draft they work on in the same read, for that EOI only", async () => {
    const eoiId = await completeDraft();
    const { setCookie } = await start({ subject: `eoi:${eoiId}`, eoiId, signedInAt: Date.now() });
    const request = requestWith(setCookie);
    const session = await getSession(request);
    expect(draftRowOf(session, eoiId)?.eoi).toMatchObject({ id: eoiId, status: "draft" });
    expect(draftRowOf(session, crypto.randomUUID())).toBeUndefined();
    expect(draftRowOf(await getSession(requestWith((await start({ subject: "x" })).setCookie)), eoiId)).toBe(
      undefined,
    );

    // A draft page takes the draft from that read, not from a second query...
    await database.db.update(eois).set({ lang: "ar" }).where(eq(eois.id, eoiId));
    const { draft } = await requireDraft(request, routeContext, "fr");
    expect(draft).toMatchObject({ id: eoiId, lang: "fr", status: "draft" });
    // ...and the next request reads both afresh.
    expect((await requireDraft(requestWith(setCookie), routeContext, "fr")).draft.lang).toBe("ar");
  });

  it("are read without the draft for a request that reads it its own way (a submission)", async () => {
    const eoiId = await completeDraft();
    const { setCookie } = await start({ subject: `eoi:${eoiId}`, eoiId, signedInAt: Date.now() });
    const request = requestWith(setCookie);
    const { eoiId: sessionEoi } = await requireDraftSession(request, routeContext, "fr");
    expect(sessionEoi).toBe(eoiId);
    expect(draftRowOf(await getSession(request), eoiId)).toBeUndefined();
    // A draft page asking later in the same request reads the draft itself, as it is now.
    await database.db.update(eois).set({ lang: "ar" }).where(eq(eois.id, eoiId));
    expect((await requireDraft(request, routeContext, "fr")).draft).toMatchObject({ id: eoiId, lang: "ar" });
  });

  it("slide their expiry at most once a minute while unchanged, and save a change at once", async () => {
    const { setCookie, id } = await start({ subject: "applicant:8" }, 30);
    const expiry = async () =>
      (
        await database.db
          .select()
          .from(sessions)
          .where(eq(sessions.id, hashOf(id)))
      )[0]?.expiresAt.getTime();
    // Pushed back 30 s, as if the last page had been 30 s ago: a new page within the minute
    // sends the cookie again but does not write the row.
    const thirtySecondsAgo = new Date(Date.now() + 30 * 60_000 - 30_000);
    await database.db
      .update(sessions)
      .set({ expiresAt: thirtySecondsAgo })
      .where(eq(sessions.id, hashOf(id)));
    const unchanged = await getSession(requestWith(setCookie));
    expect(await commitSession(unchanged, 30)).toMatch(/^session=[^;]+; Path=\/; Expires=/);
    expect(await expiry()).toBe(thirtySecondsAgo.getTime());
    // Two minutes on, the same page slides the row's expiry.
    const twoMinutesAgo = new Date(Date.now() + 30 * 60_000 - 120_000);
    await database.db
      .update(sessions)
      .set({ expiresAt: twoMinutesAgo })
      .where(eq(sessions.id, hashOf(id)));
    await commitSession(await getSession(requestWith(setCookie)), 30);
    expect(await expiry()).toBeGreaterThan(Date.now() + 29 * 60_000);
    // A change is written at once, however recent the last write.
    const changed = await getSession(requestWith(setCookie));
    changed.set("step", "documents");
    await commitSession(changed, 30);
    expect((await getSession(requestWith(setCookie))).get("step")).toBe("documents");
  });

  it("are not read after they expire, and are purged", async () => {
    const { setCookie, id } = await start({ subject: "applicant:6" }, -1);
    expect((await getSession(requestWith(setCookie))).get("subject")).toBeUndefined();
    await purgeExpiredSessions();
    expect(
      await database.db
        .select()
        .from(sessions)
        .where(eq(sessions.id, hashOf(id))),
    ).toEqual([]);
    expect((await database.db.select().from(sessions)).length).toBeGreaterThan(0);
  });
});
