import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small local stand-in for GOV.UK Notify's API (POST /v2/notifications/email and /sms, GET
 * /v2/notifications?reference=…), so transport tests never reach the internet. Like Notify, it
 * checks the client's JWT: HS256 signed with the key's secret, `iss` the service id, a fresh `iat`.
 */

export interface Recorded {
  method: string;
  path: string;
  authorised: boolean;
  body: Record<string, unknown>;
}

interface Stored {
  id: string;
  type: "email" | "sms";
  reference?: string;
  body: Record<string, unknown>;
}

export interface NotifyStandIn {
  url: string;
  /** A key this stand-in accepts, in Notify's `name-serviceid-secret` form. */
  apiKey: string;
  requests: Recorded[];
  /** Notifications it accepted, as Notify would list them. */
  accepted: Stored[];
  /** The next POST answers `status`; with `acceptFirst` it keeps the notification anyway. */
  failNext(status: number, error: string, options?: { acceptFirst?: boolean }): void;
  /** The next POST gets no answer for `ms` (a timeout for the client). */
  hangNext(ms: number): void;
  close(): Promise<void>;
}

function verifyToken(header: string | undefined, secret: string, serviceId: string): boolean {
  const [, token = ""] = /^Bearer (.+)$/.exec(header ?? "") ?? [];
  const [head, payload, signature] = token.split(".");
  if (!head || !payload || !signature) return false;
  const expected = createHmac("sha256", secret).update(`${head}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
    iss?: string;
    iat?: number;
  };
  return (
    JSON.parse(Buffer.from(head, "base64url").toString("utf8")).alg === "HS256" &&
    claims.iss === serviceId &&
    Math.abs(Date.now() / 1000 - (claims.iat ?? 0)) < 30
  );
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function reply(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

const errorBody = (status: number, error: string) => ({
  status_code: status,
  errors: [{ error, message: `stand-in ${error}` }],
});

export async function startNotifyStandIn(): Promise<NotifyStandIn> {
  const serviceId = randomUUID();
  const secret = randomUUID();
  const requests: Recorded[] = [];
  const accepted: Stored[] = [];
  const plans: (
    | { kind: "fail"; status: number; error: string; acceptFirst: boolean }
    | { kind: "hang"; ms: number }
  )[] = [];

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const body = await readJson(req);
    const authorised = verifyToken(req.headers.authorization, secret, serviceId);
    requests.push({ method: req.method ?? "", path: url.pathname, authorised, body });
    if (!authorised) return reply(res, 403, errorBody(403, "AuthError"));

    if (req.method === "GET" && url.pathname === "/v2/notifications") {
      const type = url.searchParams.get("template_type");
      const reference = url.searchParams.get("reference");
      const found = accepted.filter(
        (n) => (!type || n.type === type) && (!reference || n.reference === reference),
      );
      return reply(res, 200, {
        notifications: found.map((n) => ({
          id: n.id,
          reference: n.reference,
          type: n.type,
          status: "created",
        })),
        links: { current: `${url.pathname}${url.search}` },
      });
    }

    const type = /^\/v2\/notifications\/(email|sms)$/.exec(url.pathname)?.[1] as "email" | "sms" | undefined;
    if (req.method !== "POST" || !type) return reply(res, 404, errorBody(404, "NotFound"));
    const plan = plans.shift();
    if (plan?.kind === "hang") {
      setTimeout(() => reply(res, 503, errorBody(503, "Timeout")), plan.ms);
      return;
    }
    const stored: Stored = { id: randomUUID(), type, reference: body.reference as string | undefined, body };
    if (plan?.kind === "fail") {
      if (plan.acceptFirst) accepted.push(stored);
      return reply(res, plan.status, errorBody(plan.status, plan.error));
    }
    accepted.push(stored);
    return reply(res, 201, {
      id: stored.id,
      reference: stored.reference ?? null,
      content: {
        body: "…",
        ...(type === "email" ? { subject: "…", from_email: "service@example.test" } : {}),
      },
      uri: `${url.origin}/v2/notifications/${stored.id}`,
      template: { id: body.template_id, version: 1, uri: "" },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: `ukeats_test-${serviceId}-${secret}`,
    requests,
    accepted,
    failNext: (status, error, options = {}) =>
      plans.push({ kind: "fail", status, error, acceptFirst: options.acceptFirst ?? false }),
    hangNext: (ms) => plans.push({ kind: "hang", ms }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
