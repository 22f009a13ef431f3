"use client";

import { useEffect, useRef, useState } from "react";

/** "Cancel run", then a confirmation in place (keyboard focus moves to it): cancelling ends the
 * run and skips its undecided fixes, so one stray click must not do it. `onCancel` answers an
 * error message, or null when the server took the cancel. */
export function CancelRun({ onCancel }: { onCancel: () => Promise<string | null> }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const openButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (wasConfirming.current) openButton.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  async function confirm() {
    setBusy(true);
    setError(await onCancel());
    setBusy(false);
    setConfirming(false);
  }

  if (!confirming) {
    return (
      <>
        <button ref={openButton} className="tr-btn" onClick={() => setConfirming(true)}>
          Cancel run
        </button>
        {error && (
          <span role="alert" className="tr:text-red-700 tr:dark:text-red-400">
            {error}
          </span>
        )}
      </>
    );
  }
  return (
    <span role="group" aria-label="Confirm cancelling the run" className="tr:flex tr:flex-wrap tr:items-center tr:gap-2" data-testid="cancel-confirm">
      <span>Cancel this run? Fixes not yet applied are skipped.</span>
      <button ref={confirmButton} className="tr-btn tr:border-red-400 tr:text-red-700 tr:dark:border-red-700 tr:dark:text-red-300" disabled={busy} onClick={confirm}>
        Yes, cancel the run
      </button>
      <button className="tr-btn" disabled={busy} onClick={() => setConfirming(false)} onKeyDown={(e) => e.key === "Escape" && setConfirming(false)}>
        Keep it running
      </button>
    </span>
  );
}
