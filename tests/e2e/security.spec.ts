import { expect, test, waitForHydration } from "./fixtures";

const pages = ["/fr", "/ar/privacy", "/en/cookies"];

for (const path of pages) {
  test(`${path} is served with the security headers`, async ({ request }) => {
    const response = await request.get(path);
    expect(response.status()).toBe(200);
    const headers = response.headers();
    const csp = headers["content-security-policy"] ?? "";
    const directives = new Map(
      csp.split(";").map((d) => {
        const [name = "", ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get("script-src")).toEqual([
      "'self'",
      expect.stringMatching(/^'nonce-[A-Za-z0-9+/]{22}==?'$/),
    ]);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(directives.get("default-src")).toEqual(["'self'"]);
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
    expect(directives.get("object-src")).toEqual(["'none'"]);
    expect(directives.get("base-uri")).toEqual(["'none'"]);
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["strict-transport-security"]).toMatch(/max-age=\d{8}/);
    expect(headers["permissions-policy"]).toMatch(/geolocation=\(\)/);
    expect(headers["x-powered-by"]).toBeUndefined();
  });

  test(`every script tag on ${path} carries the request's nonce`, async ({ request }) => {
    const response = await request.get(path);
    const nonce = /'nonce-([^']+)'/.exec(response.headers()["content-security-policy"] ?? "")?.[1];
    expect(nonce).toBeTruthy();
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });
}

test("each response has its own nonce", async ({ request }) => {
  const nonceOf = async () =>
    /'nonce-([^']+)'/.exec((await request.get("/fr")).headers()["content-security-policy"] ?? "")?.[1];
  expect(await nonceOf()).not.toBe(await nonceOf());
});

test("the page hydrates under the CSP, without console errors", async ({ page }) => {
  await page.goto("/ar");
  await waitForHydration(page);
});

test("the CSRF cookie is __Host-, Secure and HttpOnly, and the browser keeps it @nojs", async ({
  page,
  context,
}) => {
  const first = await page.goto("/fr");
  expect(await first?.headerValue("set-cookie")).toMatch(
    /^__Host-csrf=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
  );
  const [cookie] = await context.cookies();
  expect(cookie).toMatchObject({ name: "__Host-csrf", secure: true, httpOnly: true, sameSite: "Lax" });
  // The browser sent the cookie back (http://127.0.0.1 counts as a secure context), so no new one.
  const second = await page.goto("/fr/privacy");
  expect(await second?.headerValue("set-cookie")).toBeNull();
});
