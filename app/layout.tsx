import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Troubleshooter", template: "%s · Troubleshooter" },
  description: "AI-assisted troubleshooting for your Next.js + PostgreSQL platform",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: a page built ahead of time would carry no CSP nonce on its
  // scripts, and the nonce policy of proxy.ts would block them (the 404 page was such a one).
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
