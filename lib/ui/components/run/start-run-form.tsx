"use client";

import { usePaths } from "../../paths";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";

import type { TargetRef } from "../../../targets/scope";

const DOMAINS = ["web", "database", "network"] as const;

/** What each domain's bot checks, so the admin knows what they select. */
const DOMAIN_HINTS: Record<(typeof DOMAINS)[number], string> = {
  web: "pages, links, assets, headers, browser errors",
  database: "connections, queries, locks, indexes, migrations",
  network: "API endpoints, DNS, TLS, latency, exposure",
};

/** Starts a run through the runs API and opens its live page. `targets`: what a run may check
 * (the default target first), without credentials; `initialTarget`: the one chosen at first. */
export function StartRunForm({ targets = [], initialTarget }: { targets?: TargetRef[]; initialTarget?: string }) {
  const { basePath, apiBasePath } = usePaths();
  const router = useRouter();
  const [targetName, setTargetName] = useState(initialTarget ?? targets[0]?.name ?? "");
  const target = targets.find((t) => t.name === targetName) ?? null;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; runId?: string } | null>(null);

  async function submit(form: FormData) {
    setBusy(true);
    setError(null);
    const body = {
      initialIssue: String(form.get("initialIssue") ?? "").trim() || undefined,
      domains: DOMAINS.filter((d) => form.get(`domain-${d}`) === "on"),
      autoApprove: form.get("autoApprove") === "safe" ? "safe" : "none",
      trigger: "manual",
      target: target?.name,
    };
    const res = await fetch(`${apiBasePath}/runs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).catch(() => null);
    const json = (await res?.json().catch(() => null)) as { runId?: string; error?: { message?: string; runId?: string; fields?: Record<string, string[]> } } | null;
    if (res?.status === 202 && json?.runId) return router.push(`${basePath}/runs/${json.runId}`);
    setBusy(false);
    const fields = json?.error?.fields ? Object.values(json.error.fields).flat().join("; ") : "";
    setError({ message: fields || json?.error?.message || "The run could not be started; the server did not answer.", runId: json?.error?.runId });
  }

  return (
    <form action={submit} id="start-run" className="tr-card tr:space-y-4 tr:p-5" aria-label="Run troubleshooting">
      <h2 className="tr:font-semibold">Run troubleshooting</h2>
      {targets.length > 1 && (
        <label className="tr:block tr:text-sm">
          <span className="tr-muted">Target</span>
          <select name="target" value={targetName} onChange={(e) => setTargetName(e.target.value)} className="tr-field tr:mt-1 tr:block tr:w-full tr:max-w-full">
            {targets.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {target && (
        <dl className="tr:grid tr:grid-cols-[auto_1fr] tr:gap-x-3 tr:gap-y-0.5 tr:text-sm" data-testid="run-target">
          <dt className="tr-muted">Site</dt>
          <dd className="tr:break-all">{target.baseUrl}</dd>
          <dt className="tr-muted">Database</dt>
          <dd className="tr:break-all">{target.database}</dd>
        </dl>
      )}
      <label className="tr:block tr:text-sm">
        <span className="tr-muted">What are users seeing? (optional)</span>
        <textarea name="initialIssue" rows={2} maxLength={2000} className="tr-field tr:mt-1 tr:block tr:w-full" placeholder="Users reporting slow page load times" />
      </label>
      <fieldset className="tr:space-y-1 tr:text-sm">
        <legend className="tr-muted tr:mb-1">Domains to check</legend>
        {DOMAINS.map((d) => (
          <label key={d} className="tr:flex tr:flex-wrap tr:items-center tr:gap-x-1.5">
            <input type="checkbox" name={`domain-${d}`} defaultChecked /> <span className="tr:font-medium">{d}</span>
            <span className="tr-muted tr:text-xs">{DOMAIN_HINTS[d]}</span>
          </label>
        ))}
      </fieldset>
      <label className="tr:block tr:text-sm">
        <span className="tr-muted">Safe fixes</span>
        <select name="autoApprove" defaultValue="safe" className="tr-field tr:mt-1 tr:block tr:w-full tr:max-w-full">
          <option value="safe">apply at once</option>
          <option value="none">wait for my approval</option>
        </select>
        <span className="tr-muted tr:mt-1 tr:block tr:text-xs">Fixes that could lose work or cut off users always wait for an admin.</span>
      </label>
      {error && (
        <p role="alert" className="tr:text-sm tr:text-red-700 tr:dark:text-red-400">
          {error.message}{" "}
          {error.runId && (
            <Link className="tr:underline" href={`${basePath}/runs/${error.runId}`}>
              Watch the run in progress
            </Link>
          )}
        </p>
      )}
      <button className="tr-btn-primary" disabled={busy}>
        {busy ? "Starting…" : "Run troubleshooting"}
      </button>
    </form>
  );
}
