/**
 * Classic Remix compiler. The URL map is explicit (file-based discovery is off): every public page
 * lives under /:lang, and the Express server in app/server.ts is bundled with the app into
 * build/index.js so both share one module graph (one database pool, one logger).
 * @type {import('@remix-run/dev').AppConfig}
 */
export default {
  ignoredRouteFiles: ["**/*"],
  server: "./app/server.ts",
  serverBuildPath: "build/index.js",
  serverModuleFormat: "esm",
  serverPlatform: "node",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
  routes(defineRoutes) {
    return defineRoutes((route) => {
      route("/", "routes/root-redirect.tsx", { index: true });
      route("healthz", "routes/resources/healthz.ts");
      route("locales/:lang/:ns", "routes/resources/locales.ts");
      route("dev/mailbox", "routes/dev/mailbox.tsx");
      route("bench/bare-post", "routes/resources/bare-post.ts");
      route(":lang", "routes/lang/layout.tsx", () => {
        route("", "routes/lang/index.tsx", { index: true });
        for (const page of ["privacy", "accessibility", "cookies"]) {
          route(page, "routes/lang/content.tsx", { id: `content-${page}` });
        }
        // The Expression of Interest (one module per kind of page; see app/domain/eoi/eoi.pages.ts).
        route("apply", "routes/lang/apply/start.tsx");
        route("apply/eligibility/:slug", "routes/lang/apply/eligibility.tsx");
        route("apply/eligible", "routes/lang/apply/eligible.tsx");
        route("apply/not-eligible/:reason", "routes/lang/apply/not-eligible.tsx");
        route("apply/contact", "routes/lang/apply/contact.tsx", { id: "apply-contact" });
        route("apply/resume", "routes/lang/apply/contact.tsx", { id: "apply-resume" });
        route("apply/verify", "routes/lang/apply/verify.tsx", { id: "apply-verify" });
        route("apply/resume/verify", "routes/lang/apply/verify.tsx", { id: "apply-resume-verify" });
        route("apply/tasks", "routes/lang/apply/tasks.tsx");
        route("apply/q/:slug", "routes/lang/apply/question.tsx");
        route("apply/children", "routes/lang/apply/children.tsx");
        route("apply/upload-document", "routes/lang/apply/upload.tsx", { id: "apply-upload-document" });
        route("apply/upload-photo", "routes/lang/apply/upload.tsx", { id: "apply-upload-photo" });
        route("apply/files/:id", "routes/lang/apply/file.ts");
        route("apply/check", "routes/lang/apply/check.tsx");
        route("apply/declaration", "routes/lang/apply/declaration.tsx");
        route("apply/confirmation", "routes/lang/apply/confirmation.tsx");
        route("presence/:token", "routes/lang/presence.tsx");
        // Signing out of the application or status pages, and the page that says how to come back.
        route("sign-out", "routes/lang/sign-out.tsx");
        route("signed-out", "routes/lang/signed-out.tsx");
        // Following an application after it is sent.
        route("status", "routes/lang/status/sign-in.tsx");
        route("status/verify", "routes/lang/status/verify.tsx");
        route("status/application", "routes/lang/status/application.tsx");
        route("status/withdraw", "routes/lang/status/withdraw.tsx");
        route("status/contact", "routes/lang/status/contact.tsx", { id: "status-contact" });
        route("status/contact/verify", "routes/lang/status/contact.tsx", { id: "status-contact-verify" });
        // Booking the biometric appointment, once invited (stage two).
        route("appointments", "routes/lang/appointments/index.tsx");
        route("appointments/centre/:centre", "routes/lang/appointments/slots.tsx");
        route("appointments/confirm", "routes/lang/appointments/confirm.tsx");
        route("appointments/booked", "routes/lang/appointments/booked.tsx");
        route("appointments/cancel", "routes/lang/appointments/cancel.tsx");
        route("appointments/calendar.ics", "routes/lang/appointments/calendar.ts");
        // NGO helpers: their accounts, their organisation's caseload, assisted applications. The
        // application, status and booking pages above are shared: a helper's session opens a case.
        route("helpers", "routes/lang/helpers/sign-in.tsx");
        route("helpers/code", "routes/lang/helpers/code.tsx");
        route("helpers/set-up", "routes/lang/helpers/set-up.tsx");
        route("helpers/invite/:token", "routes/lang/helpers/invite.tsx");
        route("helpers/sign-out", "routes/lang/helpers/sign-out.tsx");
        route("helpers/password", "routes/lang/helpers/password.tsx");
        route("helpers/team", "routes/lang/helpers/team.tsx");
        route("helpers/cases", "routes/lang/helpers/cases/caseload.tsx");
        route("helpers/cases/new", "routes/lang/helpers/cases/consent.tsx");
        route("helpers/cases/:id", "routes/lang/helpers/cases/case.tsx");
      });
      // The back office, in English or French (the staff member's choice), never under /:lang.
      route("staff", "routes/staff/layout.tsx", () => {
        route("", "routes/staff/index.tsx", { index: true });
        route("sign-in", "routes/staff/sign-in.tsx");
        route("sign-in/code", "routes/staff/sign-in-code.tsx");
        route("sign-in/set-up", "routes/staff/totp-setup.tsx");
        route("sign-out", "routes/staff/sign-out.tsx");
        route("language", "routes/staff/language.tsx");
        route("profile", "routes/staff/profile.tsx");
        route("profile/password", "routes/staff/password.tsx");
        route("accounts", "routes/staff/accounts.tsx");
        route("accounts/new", "routes/staff/account-new.tsx");
        route("organisations", "routes/staff/organisations.tsx");
        route("cases", "routes/staff/cases/queue.tsx");
        route("cases/:id", "routes/staff/cases/case.tsx");
        route("cases/:id/decide", "routes/staff/cases/decide.tsx");
        route("cases/:id/files/:uploadId", "routes/staff/cases/file.ts");
        route("windows", "routes/staff/windows/list.tsx");
        route("windows/new", "routes/staff/windows/edit.tsx", { id: "staff-window-new" });
        route("windows/:id", "routes/staff/windows/edit.tsx", { id: "staff-window-edit" });
        route("audit", "routes/staff/audit/search.tsx");
        route("audit/export", "routes/staff/audit/export.ts");
        route("centres", "routes/staff/centres/list.tsx");
        route("centres/:code", "routes/staff/centres/centre.tsx");
        route("centres/:code/day", "routes/staff/centres/day.tsx");
        route("returns", "routes/staff/returns/register.tsx");
        route("returns/import", "routes/staff/returns/import.tsx");
        route("returns/import/:id", "routes/staff/returns/import-progress.tsx");
        route("returns/:id", "routes/staff/returns/return.tsx");
        route("matching", "routes/staff/matching/queue.tsx");
        route("matching/matches/:id", "routes/staff/matching/match.tsx");
        route("parity", "routes/staff/parity/dashboard.tsx");
        route("parity/export", "routes/staff/parity/export.ts");
        route("parity/settings", "routes/staff/parity/settings.tsx");
      });
      route("*", "routes/not-found.tsx");
    });
  },
};
