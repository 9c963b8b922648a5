import { data } from "@remix-run/node";
import type { Contact } from "~/domain/notifications/outbox.server";
import { blindIndex } from "./crypto.server";
import type { Executor } from "./db.server";
import { hitRateLimit } from "./rate-limit.server";

/**
 * The service's rate limits in one place (strictest on codes and sign-in). Each returns null when
 * the request may go ahead, or a 429 answer telling the page how long to wait.
 */
const rules = {
  codeRequestPerContact: { limit: 5, windowSeconds: 60 * 60 },
  codeRequestPerClient: { limit: 20, windowSeconds: 60 * 60 },
  codeCheckPerClient: { limit: 30, windowSeconds: 15 * 60 },
  codeCheckPerReference: { limit: 10, windowSeconds: 15 * 60 },
  signInPerClient: { limit: 20, windowSeconds: 15 * 60 },
  signInPerReference: { limit: 5, windowSeconds: 15 * 60 },
  submitPerClient: { limit: 30, windowSeconds: 60 },
  // Back office and NGO helpers: on top of the account lockout after 5 wrong passwords
  // (domain/auth/accounts.server.ts).
  staffSignInPerClient: { limit: 20, windowSeconds: 15 * 60 },
  staffCodePerClient: { limit: 20, windowSeconds: 15 * 60 },
  helperSignInPerClient: { limit: 20, windowSeconds: 15 * 60 },
  helperCodePerClient: { limit: 20, windowSeconds: 15 * 60 },
  // Accepting an invitation hashes a password (costly): bounded like a sign-in.
  helperInvitePerClient: { limit: 20, windowSeconds: 15 * 60 },
} as const;

type Rule = keyof typeof rules;

export async function limit(rule: Rule, key: string) {
  const result = await rateLimitHit(rule, key)();
  return result.allowed ? null : tooMany(result.retryAfter);
}

/**
 * A hit on `rule` for a caller to run in its own transaction (`executor`), sent with its first
 * statements: no round trip or commit of its own.
 */
export function rateLimitHit(rule: Rule, key: string) {
  const { limit: max, windowSeconds } = rules[rule];
  return (executor?: Executor) => hitRateLimit(`${rule}:${key}`, max, windowSeconds, executor);
}

/** The 429 answer: the page says how many minutes to wait. */
export function tooMany(retryAfter: number) {
  return data(
    {
      tooMany: Math.ceil(retryAfter / 60),
      errors: {} as Record<string, string>,
      values: {} as Record<string, string>,
    },
    { status: 429, headers: { "Retry-After": String(retryAfter) } },
  );
}

/** Sending a code: limited per client and per contact details (hashed, never stored in clear). */
export async function limitCodeRequest(clientIp: string, contact: Contact) {
  return (
    (await limit("codeRequestPerClient", clientIp)) ??
    (await limit("codeRequestPerContact", blindIndex("limit", `${contact.email}|${contact.mobile}`)))
  );
}
