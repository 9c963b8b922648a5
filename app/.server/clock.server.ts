import { env } from "./env.server";

/** The header end-to-end tests use to play a later moment (see requestTime). */
export const testTimeHeader = "x-test-now";

/**
 * The time a request acts at. Always the real time, except with the development message transport
 * (local runs and end-to-end tests, like /dev/mailbox): there a request may say which moment it
 * plays, so a test can be at the centre on the day of an appointment booked for later. Only the
 * routes that need it read this; everything else keeps the real clock.
 */
export function requestTime(request: Request): Date {
  const asked = env.NOTIFICATIONS_TRANSPORT === "dev" ? request.headers.get(testTimeHeader) : null;
  const at = asked ? new Date(asked) : null;
  return at && !Number.isNaN(at.getTime()) ? at : new Date();
}
