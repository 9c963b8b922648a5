import { NotifyClient } from "notifications-node-client";
import { env } from "../../.server/env.server";
import { logger } from "../../.server/logger.server";

/** One rendered message, ready to hand to a provider. `to` is the decrypted address or number. */
export interface OutgoingMessage {
  /** The outbox row id: Notify's `reference`, so a message can be found again at Notify. */
  id: string;
  channel: "email" | "sms";
  to: string;
  subject: string;
  body: string;
  lang: string;
  /** 1 for the first attempt; more means an earlier attempt may already have reached the provider. */
  attempt: number;
}

export interface Transport {
  /** Resolves once the provider has accepted the message; throws (ideally a DeliveryError) otherwise. */
  send(message: OutgoingMessage): Promise<void>;
}

/**
 * A delivery failure whose message is safe to store in `last_error` and to log: transports build it
 * from status codes and error classes, never from the recipient or the text. `permanent` failures
 * (the provider rejected the request itself) are not retried.
 */
export class DeliveryError extends Error {
  readonly permanent: boolean;
  constructor(message: string, options: { permanent?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "DeliveryError";
    this.permanent = options.permanent ?? false;
  }
}

/**
 * Development: the message is "delivered" to the development mailbox (/dev/mailbox), which lists
 * the outbox rows themselves, so succeeding is all there is to do.
 */
export const devTransport: Transport = {
  async send(message) {
    logger.info(
      { notificationId: message.id, channel: message.channel },
      "notification shown in the dev mailbox",
    );
  },
};

export interface NotifyConfig {
  apiKey: string;
  emailTemplateId: string;
  smsTemplateId: string;
  /** A stand-in for tests; Notify's production API otherwise. */
  baseUrl?: string;
  timeoutMs?: number;
}

interface NotifyErrorShape {
  code?: string;
  response?: { status?: number; data?: { errors?: { error?: string }[] } };
}

/** Status code and Notify's error class only: Notify's messages can echo what was sent. */
function notifyError(error: unknown): DeliveryError {
  const e = error as NotifyErrorShape;
  const status = e.response?.status;
  if (!status)
    return new DeliveryError(`notify: no response (${e.code ?? "network error"})`, { cause: error });
  const kind = e.response?.data?.errors?.[0]?.error ?? "error";
  // 400 is Notify refusing this request (bad number, unknown template): sending it again cannot help.
  // 403 (key), 429 (rate limit) and 5xx may pass later.
  return new DeliveryError(`notify: HTTP ${status} ${kind}`.slice(0, 200), {
    permanent: status === 400,
    cause: error,
  });
}

/**
 * GOV.UK Notify. Our texts are rendered from locales/, so the service has one email template
 * (subject "((subject))", body "((body))") and one SMS template ("((body))").
 */
export function notifyTransport(config: NotifyConfig): Transport {
  const client = config.baseUrl
    ? new NotifyClient(config.baseUrl.replace(/\/$/, ""), config.apiKey)
    : new NotifyClient(config.apiKey);
  // The client's axios has no timeout, and a hung request would hold the worker's whole batch
  // past its lease. `apiClient` is public in the client's own types.
  const request = client.apiClient.restClient as (options: object) => Promise<unknown>;
  client.setClient(((options: object) =>
    request({ ...options, timeout: config.timeoutMs ?? 10_000 })) as never);

  /**
   * Notify does not deduplicate by `reference` (it "identifies a single unique notification or a
   * batch"), so a repeated POST is a second message. A retry therefore first asks Notify whether it
   * already holds a notification with this reference: one an earlier attempt got accepted before
   * failing, timing out or crashing the worker.
   */
  async function alreadyAccepted(message: OutgoingMessage): Promise<boolean> {
    const response = (await client.getNotifications(message.channel, undefined, message.id)) as {
      data?: { notifications?: unknown[] };
    };
    return (response.data?.notifications?.length ?? 0) > 0;
  }

  return {
    async send(message) {
      try {
        if (message.attempt > 1 && (await alreadyAccepted(message))) {
          logger.info(
            { notificationId: message.id },
            "notify already had this message; not sending it again",
          );
          return;
        }
        if (message.channel === "email") {
          await client.sendEmail(config.emailTemplateId, message.to, {
            personalisation: { subject: message.subject, body: message.body },
            reference: message.id,
          });
        } else {
          await client.sendSms(config.smsTemplateId, message.to, {
            personalisation: { body: message.body },
            reference: message.id,
          });
        }
      } catch (error) {
        throw notifyError(error);
      }
    },
  };
}

/** The transport the environment asks for (app/.server/env.server.ts checks Notify's settings at boot). */
export function transportFromEnv(): Transport {
  if (env.NOTIFICATIONS_TRANSPORT === "dev") {
    if (env.isProduction)
      logger.warn("NOTIFICATIONS_TRANSPORT=dev in production: no message leaves this service");
    return devTransport;
  }
  return notifyTransport({
    apiKey: env.NOTIFY_API_KEY as string,
    emailTemplateId: env.NOTIFY_EMAIL_TEMPLATE_ID as string,
    smsTemplateId: env.NOTIFY_SMS_TEMPLATE_ID as string,
    baseUrl: env.NOTIFY_BASE_URL,
  });
}
