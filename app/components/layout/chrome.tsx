import type { ReactNode } from "react";
import { Footer } from "./footer";
import { Header } from "./header";

/**
 * Header, the main landmark (target of the skip link) and footer around every public page.
 * `banner` goes under the header, where the phase banner would (a signed-in helper's bar, or an
 * applicant's "Sign out").
 */
export function Chrome({ children, banner }: { children: ReactNode; banner?: ReactNode }) {
  return (
    <>
      <Header />
      {banner}
      <div className="govuk-width-container">
        <main className="govuk-main-wrapper" id="main-content" tabIndex={-1}>
          {children}
        </main>
      </div>
      <Footer />
    </>
  );
}
