import type { ReactNode } from "react";
import { Footer } from "./footer";
import { Header } from "./header";

/** Header, the main landmark (target of the skip link) and footer around every public page. */
export function Chrome({ children }: { children: ReactNode }) {
  return (
    <>
      <Header />
      <div className="govuk-width-container">
        <main className="govuk-main-wrapper" id="main-content" tabIndex={-1}>
          {children}
        </main>
      </div>
      <Footer />
    </>
  );
}
