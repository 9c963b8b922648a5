import { randomUUID } from "node:crypto";
import { helperUsers, organisations } from "#db/schema";
import { encrypt, hashPassword } from "~/.server/crypto.server";
import { db } from "~/.server/db.server";
import { commitSession, getSession } from "~/.server/session.server";
import type { Actor } from "~/domain/audit/audit.server";

export const HELPER_TEST_PASSWORD = "correct horse battery staple";
/** The TOTP secret every test helper has (the same as test staff's). */
export const HELPER_TEST_TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

export interface TestHelper {
  id: string;
  organisationId: string;
  email: string;
  role: "helper" | "coordinator";
  actor: Actor;
  /** A Cookie header for a signed-in session (password and second factor done). */
  cookie: string;
}

/** A new organisation, for tests that need two that must not see each other's cases. */
export async function testOrganisation(name = `Test NGO ${randomUUID().slice(0, 8)}`): Promise<string> {
  const [row] = await db().insert(organisations).values({ name, city: "Calais" }).returning();
  return row?.id as string;
}

let passwordHash: Promise<string> | undefined;

/**
 * A helper with a password, a TOTP secret and a signed-in session, created straight in the
 * database: for tests of what a helper may reach, not of signing in.
 */
export async function signedInHelper(
  organisationId: string,
  role: "helper" | "coordinator" = "helper",
): Promise<TestHelper> {
  const email = `${role}.${randomUUID().slice(0, 8)}@ngo.test`;
  passwordHash ??= hashPassword(HELPER_TEST_PASSWORD);
  const [row] = await db()
    .insert(helperUsers)
    .values({
      organisationId,
      email,
      name: `Test ${role}`,
      role,
      passwordHash: await passwordHash,
      totpSecretEnc: encrypt(HELPER_TEST_TOTP),
    })
    .returning({ id: helperUsers.id });
  const id = row?.id as string;
  return { id, organisationId, email, role, actor: { type: "helper", id }, cookie: await helperCookie(id) };
}

/** A fresh signed-in session for an existing helper, holding `extra` (a case being worked on). */
export async function helperCookie(helperId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const session = await getSession(new Request("http://localhost/"));
  session.set("subject", `helper:${helperId}`);
  session.set("helperId", helperId);
  session.set("helperSignedInAt", Date.now() + 1);
  for (const [key, value] of Object.entries(extra)) session.set(key, value);
  return (await commitSession(session, 30)).split(";")[0] as string;
}
