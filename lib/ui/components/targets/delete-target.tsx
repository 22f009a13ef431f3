"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { usePaths } from "../../paths";

/** Delete with a confirmation step; says that the target's runs and history stay. */
export function DeleteTarget({ id, name }: { id: string; name: string }) {
  const { apiBasePath } = usePaths();
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function remove() {
    setBusy(true);
    setError(null);
    const res = await fetch(`${apiBasePath}/targets/${id}`, { method: "DELETE" }).catch(() => null);
    setBusy(false);
    if (res?.status === 204) {
      setConfirming(false);
      return router.refresh();
    }
    const json = (await res?.json().catch(() => null)) as { error?: { message?: string } } | null;
    setError(json?.error?.message ?? "The target could not be deleted; the server did not answer.");
  }

  if (!confirming) {
    return (
      <button type="button" className="tr-btn" onClick={() => setConfirming(true)}>
        Delete {name}
      </button>
    );
  }
  return (
    <div className="tr:flex tr:flex-wrap tr:items-center tr:gap-2 tr:text-sm" role="group" aria-label={`Confirm deleting ${name}`}>
      <span>Delete {name}? Its runs and history are kept.</span>
      <button type="button" className="tr-btn tr:border-red-400 tr:text-red-700 tr:dark:text-red-300" disabled={busy} onClick={remove}>
        {busy ? "Deleting…" : "Yes, delete"}
      </button>
      <button type="button" className="tr-btn" disabled={busy} onClick={() => setConfirming(false)}>
        Keep it
      </button>
      {error && (
        <p role="alert" className="tr:w-full tr:text-red-700 tr:dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
