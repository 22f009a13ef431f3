"use client";

import { useState } from "react";

/** Copies `text` to the clipboard; says "Copied" (politely announced) or why it could not. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    const ok = await navigator.clipboard?.writeText(text).then(() => true, () => false);
    setState(ok ? "copied" : "failed");
  }
  return (
    <span className="tr:inline-flex tr:items-center tr:gap-2">
      <button type="button" className="tr-btn tr:px-2 tr:py-0.5 tr:text-xs" onClick={copy} aria-label={label}>
        Copy
      </button>
      <span role="status" className="tr-muted tr:text-xs">
        {state === "copied" ? "Copied" : state === "failed" ? "Copy failed: select the text instead" : ""}
      </span>
    </span>
  );
}
