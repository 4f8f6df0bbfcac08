import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AccountArea } from "@/app/components/layout/account-area";
import "./globals.css";

export const metadata: Metadata = {
  title: "Shipshape",
  description: "ML delivery KPIs and DORA metrics: code, models and data",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site">
          <a href="/">Shipshape</a>
          <span className="mode">ML delivery KPIs — code, models and data</span>
          <nav aria-label="Main">
            <a href="/">Overview</a>
            <a href="/sources">Sources</a>
          </nav>
          <AccountArea />
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
