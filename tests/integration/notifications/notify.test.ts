import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { notifications } from "#db/schema";
import { db } from "~/.server/db.server";
import { enqueue } from "~/domain/notifications/outbox.server";
import { renderMessage } from "~/domain/notifications/render.server";
import { notifyTransport, type Transport } from "~/domain/notifications/transports.server";
import { deliverBatch } from "~/domain/notifications/worker.server";
import { setupTestDatabase } from "../../support/db";
import { type NotifyStandIn, startNotifyStandIn } from "./notify-stand-in";
import { later, outboxRow, queueMessages, seconds } from "./outbox";

setupTestDatabase("notifications_notify");

const emailTemplateId = randomUUID();
const smsTemplateId = randomUUID();
let standIn: NotifyStandIn;
let transport: Transport;

beforeAll(async () => {
  standIn = await startNotifyStandIn();
  transport = notifyTransport({
    apiKey: standIn.apiKey,
    emailTemplateId,
    smsTemplateId,
    baseUrl: standIn.url,
    timeoutMs: 300,
  });
});

afterAll(async () => {
  await standIn?.close();
});

beforeEach(async () => {
  await db().delete(notifications);
  standIn.requests.length = 0;
  standIn.accepted.length = 0;
});

const posts = () => standIn.requests.filter((r) => r.method === "POST");
const start = () => later(new Date(), seconds(1));

describe("GOV.UK Notify transport", () => {
  it("sends email and SMS to their endpoints with the template, recipient, texts and reference", async () => {
    await enqueue(db(), {
      dedupeKey: "notify-test",
      contact: { email: "amal@example.test", mobile: "+447700900123" },
      template: "submitted",
      lang: "ar",
      params: { reference: "UKE-ABC-123" },
    });
    const rows = await db().select().from(notifications);
    const email = rows.find((r) => r.channel === "email");
    const sms = rows.find((r) => r.channel === "sms");

    expect(await deliverBatch({ transport, now: start() })).toMatchObject({ claimed: 2, sent: 2 });

    const emailText = await renderMessage("submitted", "ar", "email", { reference: "UKE-ABC-123" });
    const smsText = await renderMessage("submitted", "ar", "sms", { reference: "UKE-ABC-123" });
    expect(posts()).toEqual(
      expect.arrayContaining([
        {
          method: "POST",
          path: "/v2/notifications/email",
          authorised: true,
          body: {
            template_id: emailTemplateId,
            email_address: "amal@example.test",
            personalisation: { subject: emailText.subject, body: emailText.body },
            reference: email?.id,
          },
        },
        {
          method: "POST",
          path: "/v2/notifications/sms",
          authorised: true,
          body: {
            template_id: smsTemplateId,
            phone_number: "+447700900123",
            personalisation: { body: smsText.body },
            reference: sms?.id,
          },
        },
      ]),
    );
    expect(posts()).toHaveLength(2);
    expect(emailText.body).toContain("UKE-ABC-123");
    for (const row of rows) expect(await outboxRow(row.id)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("reschedules a message Notify answered with a 500, and sends it on the next attempt", async () => {
    const [id = ""] = await queueMessages(1);
    standIn.failNext(500, "Exception");
    const t0 = start();
    expect(await deliverBatch({ transport, now: t0 })).toMatchObject({ claimed: 1, retried: 1 });
    const row = await outboxRow(id);
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "notify: HTTP 500 Exception" });
    expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(later(t0, seconds(15)).getTime());

    expect(await deliverBatch({ transport, now: row.nextAttemptAt })).toMatchObject({ claimed: 1, sent: 1 });
    // The retry asked Notify first whether the failed attempt had got through; it had not.
    expect(standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /v2/notifications/email",
      "GET /v2/notifications",
      "POST /v2/notifications/email",
    ]);
    expect(standIn.accepted.map((n) => n.reference)).toEqual([id]);
    expect(await outboxRow(id)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("does not send again a message Notify accepted before the attempt failed", async () => {
    const [id = ""] = await queueMessages(1);
    standIn.failNext(502, "BadGateway", { acceptFirst: true });
    const t0 = start();
    expect(await deliverBatch({ transport, now: t0 })).toMatchObject({ retried: 1 });
    const { nextAttemptAt } = await outboxRow(id);
    expect(await deliverBatch({ transport, now: nextAttemptAt })).toMatchObject({ sent: 1 });
    expect(posts()).toHaveLength(1);
    expect(standIn.accepted.map((n) => n.reference)).toEqual([id]);
    expect(await outboxRow(id)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("retries after a timeout, and gives up at once on a 400", async () => {
    const [slow = "", refused = ""] = await queueMessages(2);
    standIn.hangNext(2_000);
    standIn.failNext(400, "BadRequestError");
    expect(await deliverBatch({ transport, now: start() })).toMatchObject({
      claimed: 2,
      retried: 1,
      failed: 1,
    });
    const rows = [await outboxRow(slow), await outboxRow(refused)];
    expect(rows.map((r) => r.status).sort()).toEqual(["failed", "pending"]);
    expect(rows.find((r) => r.status === "pending")?.lastError).toBe("notify: no response (ECONNABORTED)");
    expect(rows.find((r) => r.status === "failed")?.lastError).toBe("notify: HTTP 400 BadRequestError");
    for (const row of rows) expect(row.lastError).not.toContain("@");
  });

  it("is refused with a key Notify does not know, and keeps the message for a retry", async () => {
    const [id = ""] = await queueMessages(1);
    const wrongKey = standIn.apiKey.replace(/[0-9a-f]{12}$/, "000000000000");
    const stranger = notifyTransport({
      apiKey: wrongKey,
      emailTemplateId,
      smsTemplateId,
      baseUrl: standIn.url,
    });
    expect(await deliverBatch({ transport: stranger, now: start() })).toMatchObject({ retried: 1 });
    expect(standIn.requests.map((r) => r.authorised)).toEqual([false]);
    expect(await outboxRow(id)).toMatchObject({ status: "pending", lastError: "notify: HTTP 403 AuthError" });
  });
});
