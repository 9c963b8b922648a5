import { request } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateReference } from "~/domain/eoi/reference";
import { type ServerProcess, startBuiltServer } from "../../support/server";

// The production server (node build/index.js) over HTTP: what its middleware and pages send,
// whatever the route modules do. One server for the file, on PGlite or on PostgreSQL when
// DATABASE_URL is set, with the development mailbox (to read codes), debug logs (to read them all)
// and the demo data (back-office accounts, cases and returns to search for).

let server: ServerProcess;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ server, stop } = await startBuiltServer("security_http", {
    NOTIFICATIONS_TRANSPORT: "dev",
    LOG_LEVEL: "debug",
    SEED_DEMO: "1",
  }));
});

afterAll(() => stop?.());

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

/** A browser without JavaScript: keeps cookies, follows nothing, posts forms with the CSRF token. */
class Browser {
  cookies = new Map<string, string>();
  locations: string[] = [];
  pages: string[] = [];
  /** Every Set-Cookie received, and the Cache-Control of every page. */
  setCookies: string[] = [];
  pageCaching: string[] = [];
  csrf = "";

  async send(
    path: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    let body: URLSearchParams | undefined;
    if (init.form) {
      body = new URLSearchParams({ csrf: this.csrf, ...init.form });
      headers.set("Origin", server.url);
    }
    const response = await fetch(`${server.url}${path}`, {
      method: init.method ?? (init.form ? "POST" : "GET"),
      headers,
      body,
      redirect: "manual",
    });
    for (const header of response.headers.getSetCookie()) {
      this.setCookies.push(header);
      const [pair = ""] = header.split(";");
      const at = pair.indexOf("=");
      if (/Expires=Thu, 01 Jan 1970|Max-Age=0/i.test(header)) this.cookies.delete(pair.slice(0, at));
      else this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const text = await response.text();
    const location = response.headers.get("Location");
    if (location) this.locations.push(location);
    this.csrf = /name="csrf" value="([^"]+)"/.exec(text)?.[1] ?? this.csrf;
    if (response.headers.get("Content-Type")?.startsWith("text/html")) {
      this.pages.push(text);
      this.pageCaching.push(response.headers.get("Cache-Control") ?? "(none)");
    }
    return { status: response.status, headers: response.headers, text, location } satisfies Answer;
  }

  get = (path: string, headers?: Record<string, string>) => this.send(path, { headers });
  post = (path: string, form: Record<string, string>) => this.send(path, { form });
}

/** The password of the demo accounts (db/seed). */
const DEMO_PASSWORD = "Demo-Password-2026";

/** A member of staff of the demo data signs in: password, then the authenticator set up at first use. */
async function staffSignedIn(email: string): Promise<Browser> {
  const staff = new Browser();
  await staff.get("/staff/sign-in");
  expect((await staff.post("/staff/sign-in", { email, password: DEMO_PASSWORD })).location).toBe(
    "/staff/sign-in/set-up",
  );
  const setUp = await staff.get("/staff/sign-in/set-up");
  const secret = /data-testid="totp-secret"[^>]*>([^<]+)</.exec(setUp.text)?.[1]?.replace(/\s/g, "") ?? "";
  const totpCode = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate();
  expect((await staff.post("/staff/sign-in/set-up", { totpCode })).location).toBe("/staff");
  return staff;
}

/** The newest code the development mailbox shows for `email` (the worker delivers within seconds). */
async function codeFor(email: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const html = await (await fetch(`${server.url}/dev/mailbox`)).text();
    const mail = html.split('data-testid="mail"').find((part) => part.includes(email));
    const code = mail && /app-pre-line[^>]*>[^<]*?\b(\d{6})\b/.exec(mail)?.[1];
    if (code) return code;
    await sleep(200);
  }
  throw new Error(`no code for ${email} in the mailbox`);
}

const directives = (csp: string) =>
  new Map(
    csp.split(";").map((d) => {
      const [name = "", ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

describe("security headers on real responses", () => {
  const pages = ["/fr", "/ar/privacy", "/en/apply", "/staff/sign-in", "/fr/no-such-page"];

  it.each(pages)("%s: CSP with a nonce and nothing inline, HSTS, no sniffing, no framing", async (path) => {
    const { headers, text } = await new Browser().get(path);
    const csp = directives(headers.get("Content-Security-Policy") ?? "");
    expect(csp.get("script-src")).toEqual([
      "'self'",
      expect.stringMatching(/^'nonce-[A-Za-z0-9+/]{22}==?'$/),
    ]);
    expect(csp.get("style-src")).toEqual(["'self'"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("connect-src")).toEqual(["'self'"]);
    expect(csp.has("upgrade-insecure-requests")).toBe(true);
    expect(headers.get("Content-Security-Policy")).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(headers.get("Strict-Transport-Security")).toBe("max-age=63072000; includeSubDomains");
    expect(headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(headers.get("X-Frame-Options")).toBe("SAMEORIGIN");
    expect(headers.get("Referrer-Policy")).toBe("same-origin");
    expect(headers.get("Cross-Origin-Opener-Policy")).toBe("same-origin");
    expect(headers.get("Permissions-Policy")).toBe("geolocation=(), camera=(), microphone=(), payment=()");
    expect(headers.get("X-Powered-By")).toBeNull();
    expect([...headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([]);
    expect(headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(headers.get("Cache-Control")).toBe("no-store");
    // Every script carries this response's nonce; no inline style (style-src has no 'unsafe-inline').
    const nonce = csp.get("script-src")?.[1]?.slice(7, -1);
    const scripts = text.match(/<script\b[^>]*>/g) ?? [];
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(text).not.toMatch(/<[a-z][^>]*\sstyle="|<style\b/i);
    expect(text).not.toMatch(/\son[a-z]+="/i);
  });

  it("gives each response its own nonce", async () => {
    const nonceOf = async () =>
      /'nonce-([^']+)'/.exec(
        (await new Browser().get("/fr")).headers.get("Content-Security-Policy") ?? "",
      )?.[1];
    expect(await nonceOf()).not.toBe(await nonceOf());
  });

  it("allows geolocation on the presence page only, and lets versioned locale files be cached", async () => {
    const presence = await new Browser().get("/fr/presence/unknown-token-000000000000000000000");
    expect(presence.headers.get("Permissions-Policy")).toMatch(/^geolocation=\(self\)/);
    const locale = await new Browser().get("/locales/fr/common");
    expect(locale.headers.get("Cache-Control")).toBe("no-cache");
  });

  it("sets the session and CSRF cookies __Host-, Secure, HttpOnly and SameSite=Lax", async () => {
    const first = await new Browser().get("/fr");
    expect(first.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^__Host-csrf=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/),
    ]);
  });
});

describe("open redirects", () => {
  const evil = ["//evil.test", "https://evil.test", "/\\evil.test", "javascript:alert(1)", "\\\\evil.test"];

  /** A Location that a browser would resolve to another site (or run as script). */
  const leaves = (location: string | null) =>
    !!location && new URL(location.replace(/[\t\n\r]/g, ""), server.url).origin !== server.url;

  it.each([
    "/%2Fevil.test/apply/tasks",
    "/%2F%2Fevil.test/apply/tasks",
    "/%5Cevil.test/status/application",
    "/%252F%252Fevil.test/apply/tasks",
    "/%255Cevil.test/apply/tasks",
    "/%09/apply/tasks",
    "/%2Fevil.test/appointments.data",
  ])("refuses %s before routing, instead of redirecting off the site", async (path) => {
    const answer = await new Browser().get(path);
    expect(answer.status).toBe(404);
    expect(answer.location).toBeNull();
  });

  it.each(evil)("the staff sign-in and language switch never send anyone to %s", async (target) => {
    const browser = new Browser();
    for (const path of [
      `/staff/sign-in?next=${encodeURIComponent(target)}`,
      `/staff/language?to=fr&next=${encodeURIComponent(target)}`,
      `/staff/language?to=fr&next=${encodeURIComponent(`/staff/sign-in/../..${target}`)}`,
      `/staff/language?to=fr&next=${encodeURIComponent(`/staff/sign-in${target}`)}`,
    ]) {
      const answer = await browser.get(path);
      expect(leaves(answer.location), `${path} → ${answer.location}`).toBe(false);
    }
    // After the password (no account here: the form answers 422), the next page is still ours.
    await browser.get("/staff/sign-in");
    const posted = await browser.post(`/staff/sign-in?next=${encodeURIComponent(target)}`, {
      email: "nobody@staff.test",
      password: "not the password",
    });
    expect(posted.status).toBe(422);
    expect(browser.locations.filter(leaves)).toEqual([]);
  });

  it("answers a header-injection attempt in `next` without a server error", async () => {
    const answer = await new Browser().get(
      "/staff/language?to=fr&next=%2Fstaff%2Fsign-in%0D%0ASet-Cookie:x=1",
    );
    expect(answer.status).toBe(302);
    expect(answer.location).toBe("/staff");
    expect(answer.headers.getSetCookie().some((c) => c.startsWith("x="))).toBe(false);
  });
});

describe("forged and oversized requests", () => {
  it("refuses a form from another site (Origin or Sec-Fetch-Site), even with the token", async () => {
    const browser = new Browser();
    await browser.get("/fr/status");
    const forged: Record<string, string>[] = [
      { Origin: "https://evil.test" },
      { Origin: server.url, "Sec-Fetch-Site": "cross-site" },
      { Origin: "garbage" },
    ];
    for (const headers of forged) {
      // The visitor's own cookie and token: only where the form comes from is wrong.
      const answer = await fetch(`${server.url}/fr/status`, {
        method: "POST",
        headers: { ...headers, Cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
        body: new URLSearchParams({ csrf: browser.csrf, reference: generateReference() }),
        redirect: "manual",
      });
      expect(answer.status, JSON.stringify(headers)).toBe(403);
    }
    // The same form from the site itself goes through to the page (which answers its own way).
    const own = await browser.post("/fr/status", { reference: generateReference() });
    expect(own.status).toBe(422);
  });

  it("refuses a form without the CSRF token, or with another visitor's", async () => {
    const browser = new Browser();
    await browser.get("/fr/status");
    const other = new Browser();
    await other.get("/fr/status");
    const form = { reference: generateReference(), "signInDateOfBirth-day": "1" };
    const own = browser.csrf;
    expect((await browser.post("/fr/status", form)).status).toBe(422);
    browser.csrf = "";
    expect((await browser.post("/fr/status", form)).status).toBe(403);
    browser.csrf = other.csrf;
    expect(other.csrf).not.toBe(own);
    expect((await browser.post("/fr/status", form)).status).toBe(403);
  });

  it("refuses a body larger than 25 MB (413) or of unknown length (411) before reading it", async () => {
    const big = await fetch(`${server.url}/fr/status`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": String(26 * 1024 * 1024),
      },
      body: "x",
      duplex: "half",
    } as RequestInit).catch((error: Error) => error);
    // The server answers before the (missing) body arrives; fetch may see the answer or a reset.
    if (big instanceof Response) expect(big.status).toBe(413);
    const chunked = await fetch(`${server.url}/fr/status`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("a=1"));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(411);
  });

  it("refuses a body that is not a form, JSON included (400, the service's error page) (ASVS 13.2.5)", async () => {
    const browser = new Browser();
    await browser.get("/fr/status");
    const fields = { csrf: browser.csrf, reference: generateReference() };
    for (const [type, body] of [
      ["application/json", JSON.stringify(fields)],
      ["text/xml", `<form><csrf>${fields.csrf}</csrf></form>`],
    ]) {
      const answer = await fetch(`${server.url}/fr/status`, {
        method: "POST",
        headers: {
          Origin: server.url,
          "Content-Type": type as string,
          Cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
        },
        body,
        redirect: "manual",
      });
      expect(answer.status, type).toBe(400);
      expect(await answer.text()).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.server\.ts|Error:/);
    }
  });

  it("logs each request as one JSON line, whatever its path and request id carry (ASVS 7.3.1)", async () => {
    const marker = `forge${Date.now()}`;
    // A line break and a JSON object in the path (encoded, as HTTP has it), quotes and braces in
    // the request id: neither may end the log line or add a field to it.
    const answer = await fetch(`${server.url}/fr/${marker}%0A%7B%22forged%22%3Atrue%7D%0D`, {
      headers: { "X-Request-Id": `${marker}"},"forged":true,"x":{"y":"` },
    });
    expect(answer.status).toBe(404);
    await answer.text();
    const lines = () =>
      server
        .output()
        .split("\n")
        .filter((line) => line.includes(marker));
    await expect.poll(() => lines().length).toBeGreaterThan(0);
    for (const line of lines()) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(entry.forged, line).toBeUndefined();
      expect(String(entry.requestId)).toContain(marker);
    }
  });

  it.each(["PUT", "DELETE", "PATCH", "TRACE", "OPTIONS"])("refuses the method %s (405)", async (method) => {
    // node:http, as fetch refuses to send TRACE.
    const answer = await new Promise<{ status?: number; allow?: string }>((resolve, reject) => {
      const req = request(`${server.url}/fr/status`, { method, headers: { Origin: server.url } }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode, allow: res.headers.allow }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(answer).toEqual({ status: 405, allow: "GET, HEAD, POST" });
  });

  it("answers errors with the service's page or plain text, never a stack trace or a file listing", async () => {
    for (const path of [
      "/fr/no-such-page",
      "/%E0%A4%A/x",
      "/fr/apply/files/..%2F..%2Fetc%2Fpasswd",
      "/build/",
      "/build/../package.json",
      "/.git/HEAD",
      "/.env",
    ]) {
      const answer = await new Browser().get(path);
      expect([400, 404]).toContain(answer.status);
      expect(answer.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.server\.ts|Error:/);
    }
  });
});

describe("personal data", () => {
  const person = {
    email: "zerihun.qwtestafrikos@example.org",
    mobile: "07 81 92 63 54",
    givenNames: "Zerihunqw",
    familyName: "Testafrikos",
    placeOfBirth: "Mekelleqz",
    documentNumber: "XQ7395184",
    dob: ["17", "3", "1979"] as const,
  };
  /** Each value as it could be written anywhere: as typed, normalised, encoded. */
  const needles = [
    person.email,
    person.email.split("@")[0] as string,
    encodeURIComponent(person.email),
    "781926354",
    "+33781926354",
    person.givenNames,
    person.familyName,
    person.placeOfBirth,
    person.documentNumber,
    "1979-03-17",
    "17/03/1979",
  ];
  /** What staff search the demo data for, and find: an applicant's name, an email, a person reference. */
  const searched = {
    name: "Demo Applicant Ahmadi",
    email: "caseworker@demo.ukeats.test",
    personRef: "RET-DEMO-001",
  };
  needles.push(...Object.values(searched), encodeURIComponent(searched.email), "Ahmadi");
  const found = (haystack: string) => needles.filter((n) => haystack.toLowerCase().includes(n.toLowerCase()));
  const browser = new Browser();
  let mistake: Answer;
  /** Staff browsers, and the pages their searches led to. */
  const staff: Browser[] = [];
  const results: Record<"queue" | "audit" | "register" | "export", Answer> = {} as never;

  beforeAll(async () => {
    // The journey's forms, as a person without JavaScript fills them in.
    await browser.get("/fr/apply/eligibility/in-france");
    for (const [slug, field, value] of [
      ["in-france", "inFrance", "yes"],
      ["age", "over18", "yes"],
      ["identity-document", "hasDocument", "yes"],
      ["eea", "eeaNational", "no"],
    ] as const) {
      expect((await browser.post(`/fr/apply/eligibility/${slug}`, { [field]: value })).status).toBe(302);
    }
    // A mistake first: the page answers 422 with what was typed (escaped), and nothing is logged.
    mistake = await browser.post("/fr/apply/contact", {
      email: `${person.familyName}"><script>alert(1)</script>@`,
      website: "",
    });
    const sent = await browser.post("/fr/apply/contact", {
      email: person.email,
      mobile: person.mobile,
      website: "",
    });
    expect(sent.location).toBe("/fr/apply/verify");
    expect((await browser.post("/fr/apply/verify", { code: "000000" })).status).toBe(422);
    const verified = await browser.post("/fr/apply/verify", { code: await codeFor(person.email) });
    expect(verified.location).toBe("/fr/apply/tasks");
    const answers: [string, Record<string, string>][] = [
      ["names", { givenNames: person.givenNames, familyName: person.familyName, otherNames: "" }],
      [
        "date-of-birth",
        {
          "dateOfBirth-day": person.dob[0],
          "dateOfBirth-month": person.dob[1],
          "dateOfBirth-year": person.dob[2],
        },
      ],
      ["place-of-birth", { placeOfBirth: person.placeOfBirth, countryOfBirth: "ER" }],
      [
        "document-details",
        {
          documentType: "passport",
          documentNumber: person.documentNumber,
          documentCountry: "ER",
          "documentExpiry-day": "1",
          "documentExpiry-month": "1",
          "documentExpiry-year": "2031",
        },
      ],
    ];
    for (const [slug, form] of answers) {
      const answer = await browser.post(`/fr/apply/q/${slug}`, form);
      expect(answer.status, `${slug}: ${answer.text.slice(0, 200)}`).toBe(302);
    }
    // The answers are kept: the page shows them back (and the check page is not reached yet).
    expect((await browser.get("/fr/apply/q/document-details")).text).toContain(person.documentNumber);
    expect((await browser.get("/fr/apply/q/names")).text).toContain(person.familyName);
    expect((await browser.get("/fr/apply/tasks")).status).toBe(200);
    expect((await browser.get("/fr/apply/check")).location).toBe("/fr/apply/tasks");
    // Signing in to the status pages with a reference and a date of birth.
    await browser.post("/fr/status", {
      reference: generateReference(),
      "signInDateOfBirth-day": person.dob[0],
      "signInDateOfBirth-month": person.dob[1],
      "signInDateOfBirth-year": person.dob[2],
      website: "",
    });
    // Back-office searches for people (ASVS 8.3.1), as staff without JavaScript make them: the
    // forms post; each answer is a 303 to a URL holding an opaque id, then the results page.
    const searchFor = async (who: Browser, path: string, form: Record<string, string>) => {
      const posted = await who.post(path, form);
      expect(posted.status, `${path}: ${posted.text.slice(0, 200)}`).toBe(303);
      expect(posted.location).toMatch(
        new RegExp(`^${path.replaceAll("/", "\\/")}\\?(.+&)?search=[\\w-]{20,}$`),
      );
      return who.get(posted.location as string);
    };
    const caseworker = await staffSignedIn("caseworker@demo.ukeats.test");
    results.queue = await searchFor(caseworker, "/staff/cases", { q: searched.name, status: "" });
    await searchFor(caseworker, "/staff/cases", { q: `${person.givenNames} ${person.familyName}` });
    const auditor = await staffSignedIn("auditor@demo.ukeats.test");
    results.audit = await searchFor(auditor, "/staff/audit", {
      staffEmail: searched.email,
      action: "staff.signed_in",
    });
    const exportHref = /href="(\/staff\/audit\/export\?[^"]+)"/.exec(results.audit.text)?.[1] ?? "";
    results.export = await auditor.get(exportHref.replaceAll("&amp;", "&"));
    await searchFor(auditor, "/staff/audit", { staffEmail: person.email });
    const matching = await staffSignedIn("matching@demo.ukeats.test");
    results.register = await searchFor(matching, "/staff/returns", { ref: searched.personRef, stage: "" });
    await searchFor(matching, "/staff/returns", { ref: person.documentNumber });
    staff.push(caseworker, auditor, matching);
    // Personal data typed into a URL by someone (or a link): the request log keeps the path only.
    // (Another browser: the language links of that page repeat the query it was given.)
    await new Browser().get(
      `/fr/apply/tasks?email=${encodeURIComponent(person.email)}&name=${person.familyName}`,
    );
    await sleep(500);
  });

  it("was really typed in: the pages show it back", () => {
    expect(browser.pages.some((page) => page.includes(person.familyName))).toBe(true);
  });

  it("never reaches the logs, at debug level, nor do session ids and CSRF tokens", () => {
    const output = server.output();
    expect(output).toMatch(/"path":"\/fr\/apply\/q\/names"/);
    expect(found(output)).toEqual([]);
    const secrets = [...browser.cookies.values()].map((v) => decodeURIComponent(v).split(".")[0] as string);
    expect(secrets.length).toBeGreaterThanOrEqual(2);
    expect(secrets.filter((secret) => secret.length > 10 && output.includes(secret))).toEqual([]);
  });

  it("is sealed in the cookie that holds it before the draft exists, not only signed (ASVS 8.2.2)", () => {
    const preDraft = browser.setCookies
      .filter((c) => c.startsWith("__Host-apply=") && !/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c))
      .map((c) => decodeURIComponent((c.split(";")[0] as string).slice("__Host-apply=".length)));
    expect(preDraft.length, "the contact page kept the details awaiting their code").toBeGreaterThan(0);
    // What the device holds, opened as anyone could: base64 of JSON, before the signature.
    const opened = preDraft.map((value) =>
      Buffer.from(value.split(".")[0] as string, "base64").toString("utf8"),
    );
    expect(opened.every((json) => json.includes('"sealed":"v1.'))).toBe(true);
    expect(found(opened.join("\n"))).toEqual([]);
  });

  it("is shown back escaped, never as markup", () => {
    expect(mistake.status).toBe(422);
    expect(mistake.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(mistake.text).not.toContain("<script>alert(1)");
  });

  it("is served in pages no cache keeps, under a session cookie that is __Host-, Secure and HttpOnly", () => {
    expect(browser.pageCaching.length).toBeGreaterThan(5);
    expect(new Set(browser.pageCaching)).toEqual(new Set(["no-store"]));
    const session = browser.setCookies.filter((c) => c.startsWith("__Host-session="));
    expect(session.length).toBeGreaterThan(0);
    for (const cookie of session) {
      expect(cookie).toMatch(
        /^__Host-session=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/,
      );
    }
    // The session id travels in the cookie only, never in an address.
    const id = decodeURIComponent(browser.cookies.get("__Host-session") ?? "").split(".")[0] as string;
    expect(id.length).toBeGreaterThan(20);
    expect([...browser.locations, ...browser.pages].filter((text) => text.includes(id))).toEqual([]);
  });

  it("never appears in a redirect, a link, a form's address or any URL of the pages", () => {
    for (const who of [browser, ...staff]) {
      expect(who.locations.length).toBeGreaterThan(3);
      expect(who.locations.flatMap((l) => found(decodeURIComponent(l)))).toEqual([]);
      const urls = who.pages.flatMap((page) =>
        [...page.matchAll(/\s(?:href|action|src|formaction)="([^"]*)"/g)].map((m) => m[1] as string),
      );
      expect(urls.length).toBeGreaterThan(20);
      expect(urls.filter((u) => found(decodeURIComponent(u)).length)).toEqual([]);
    }
  });

  it("is found by the back office's searches all the same, from the session (ASVS 8.3.1)", () => {
    // The queue: the applicant's case, and the name shown back in the search box only.
    expect(results.queue.status).toBe(200);
    expect(results.queue.text).toMatch(/href="\/staff\/cases\/[0-9a-f-]{36}"/);
    expect(results.queue.text).toContain(`value="${searched.name}"`);
    // The audit log: the caseworker's sign-in, and the same rows in the export (by the search's id).
    expect(results.audit.text).toContain("<code>staff.signed_in</code>");
    expect(results.audit.text).toContain(`value="${searched.email}"`);
    expect(results.export.status).toBe(200);
    expect(results.export.text).toContain(`,staff.signed_in,`);
    expect(results.export.text).toContain(searched.email);
    // The returns register: that one return.
    expect(results.register.text.match(/href="\/staff\/returns\/[0-9a-f-]{36}"/g)).toHaveLength(1);
    expect(results.register.text).toContain(searched.personRef);
  });
});
