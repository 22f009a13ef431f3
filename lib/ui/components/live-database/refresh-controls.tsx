"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";

const INTERVALS = [0, 5, 10, 30, 60] as const;

/** "Refresh" (a plain link to this very view: works without script) and an optional interval
 * that reloads the view's data in place; off by default, and nothing but page loads (no sockets). */
export function RefreshControls({ href, readAt }: { href: string; readAt: string }) {
  const router = useRouter();
  const id = useId();
  const [every, setEvery] = useState(0);
  useEffect(() => {
    if (!every) return;
    const timer = setInterval(() => router.refresh(), every * 1_000);
    return () => clearInterval(timer);
  }, [every, router]);
  return (
    <div className="tr:flex tr:flex-wrap tr:items-end tr:gap-2 tr:text-sm">
      <a className="tr-btn" href={href}>
        Refresh
      </a>
      <label className="tr:flex tr:flex-col tr:gap-1" htmlFor={id}>
        <span className="tr-muted">Auto refresh</span>
        <select id={id} className="tr-field" value={every} onChange={(e) => setEvery(Number(e.target.value))}>
          {INTERVALS.map((s) => (
            <option key={s} value={s}>
              {s === 0 ? "off" : `every ${s} s`}
            </option>
          ))}
        </select>
      </label>
      <span className="tr-muted tr:pb-1.5" data-testid="live-read-at">
        Read at {new Date(readAt).toISOString().slice(11, 19)} UTC
      </span>
    </div>
  );
}
