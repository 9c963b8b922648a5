import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, eois, notifications, otpCodes, statusHistory } from "#db/schema";
import { decryptJson } from "~/.server/crypto.server";
import { db } from "~/.server/db.server";
import { submitEoi } from "~/domain/eoi/eoi.service.server";
import {
  loadAccount,
  requestSignInCode,
  verifySignInCode,
  withdraw,
} from "~/domain/status/account.service.server";
import { IllegalTransitionError } from "~/domain/status/status.rules";
import { changeStatus } from "~/domain/status/status.service.server";
import { setupTestDatabase } from "../../support/db";
import { completeDraft, openWindowNow, testActor } from "../../support/eoi";

setupTestDatabase("status");

/** A queued message's template values (stored encrypted: they hold the codes). */
const paramsOf = (row: { paramsEnc: string } | undefined) =>
  row ? decryptJson<Record<string, string>>(row.paramsEnc) : {};

async function submitted(): Promise<{ id: string; reference: string }> {
  const id = await completeDraft({ dateOfBirth: "1990-04-12" });
  const result = await submitEoi(id, testActor);
  if (!result.ok) throw new Error(result.error);
  return { id, reference: result.reference };
}

describe("status changes", () => {
  beforeAll(async () => {
    await openWindowNow();
  });

  it("refuses a change the state machine does not allow, and records nothing", async () => {
    const { id } = await submitted();
    const before = await db().select().from(statusHistory).where(eq(statusHistory.eoiId, id));
    await expect(
      db().transaction((tx) => changeStatus(tx, id, "approved", { type: "staff", id: "x" })),
    ).rejects.toBeInstanceOf(IllegalTransitionError);
    await expect(
      db().transaction((tx) => changeStatus(tx, id, "location_verified", testActor)),
    ).rejects.toBeInstanceOf(IllegalTransitionError);
    const after = await db().select().from(statusHistory).where(eq(statusHistory.eoiId, id));
    expect(after).toEqual(before);
    const [row] = await db().select({ status: eois.status }).from(eois).where(eq(eois.id, id));
    expect(row?.status).toBe("submitted");
  });

  it("records an allowed change once: history, audit and a notification in the applicant's language", async () => {
    const { id } = await submitted();
    await db().transaction((tx) => changeStatus(tx, id, "location_verified", { type: "system" }));
    const history = await db().select().from(statusHistory).where(eq(statusHistory.eoiId, id));
    expect(history.map((h) => `${h.fromStatus}→${h.toStatus}`)).toEqual([
      "draft→submitted",
      "submitted→location_verified",
    ]);
    const audit = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectId, id), eq(auditLog.action, "status.location_verified")));
    expect(audit).toHaveLength(1);
    const sent = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.eoiId, id), eq(notifications.template, "status.location_verified")));
    expect(sent.map((n) => [n.channel, n.lang])).toEqual(
      expect.arrayContaining([
        ["email", "fr"],
        ["sms", "fr"],
      ]),
    );
  });

  it("withdraws at the applicant's request and shows it last on the timeline", async () => {
    const { id } = await submitted();
    await withdraw(id, "personal reasons", testActor);
    const account = await loadAccount(id);
    expect(account?.status).toBe("withdrawn");
    expect(account?.timeline.map((e) => e.status)).toEqual(["draft", "submitted", "withdrawn"]);
    expect(account?.canWithdraw).toBe(false);
    await expect(withdraw(id, undefined, testActor)).rejects.toBeInstanceOf(IllegalTransitionError);
  });
});

describe("signing in to follow an application", () => {
  it("sends a code only for the right reference and date of birth, and the code works once", async () => {
    const { id, reference } = await submitted();
    const codes = () => db().select().from(otpCodes).where(eq(otpCodes.eoiId, id));
    await requestSignInCode(reference, "1991-01-01", "fr");
    expect(await codes()).toHaveLength(0);
    await requestSignInCode(reference, "1990-04-12", "fr");
    expect(await codes()).toHaveLength(1);
    const [message] = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.eoiId, id), eq(notifications.template, "otp")));
    const code = paramsOf(message).code as string;
    expect(await verifySignInCode(reference, "000000")).toBeNull();
    expect(await verifySignInCode(reference.toLowerCase().replaceAll("-", " "), code)).toBe(id);
    expect(await verifySignInCode(reference, code)).toBeNull();
  });

  it("stops accepting guesses after five wrong codes", async () => {
    const { id, reference } = await submitted();
    await requestSignInCode(reference, "1990-04-12", "fr");
    const [message] = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.eoiId, id), eq(notifications.template, "otp")));
    expect(paramsOf(message).code).toMatch(/^\d{6}$/);
    for (let i = 0; i < 5; i++) expect(await verifySignInCode(reference, "999999")).toBeNull();
    expect(await verifySignInCode(reference, paramsOf(message).code as string)).toBeNull();
  });
});

describe("changing contact details", () => {
  it("takes effect only with the code sent to the new details, and tells the old ones", async () => {
    const { confirmContactChange, requestContactChange } = await import(
      "~/domain/status/account.service.server"
    );
    const { findByContact, loadEoi } = await import("~/domain/eoi/eoi.service.server");
    const { id } = await submitted();
    const before = await loadEoi(id);
    const fresh = { email: `new.${Date.now()}@example.org` };
    await requestContactChange(id, fresh, "fr");
    const [message] = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.eoiId, id), eq(notifications.template, "otp")));
    expect(await confirmContactChange(id, fresh, "000000", testActor)).toBe(false);
    expect((await loadEoi(id))?.contact).toEqual(before?.contact);
    expect(await confirmContactChange(id, fresh, paramsOf(message).code as string, testActor)).toBe(true);
    expect((await loadEoi(id))?.contact).toEqual(fresh);
    expect((await findByContact(fresh)).map((e) => e.id)).toContain(id);
    const warned = await db()
      .select()
      .from(notifications)
      .where(and(eq(notifications.eoiId, id), eq(notifications.template, "contactChanged")));
    expect(warned.length).toBeGreaterThan(0);
  });
});
