// The Targets page: the default target (the TARGET_* settings, read-only) and the stored ones,
// each with its schedule, alert routing, which secrets are stored (never their values) and its
// latest run; a form to add one, and on each stored target forms to edit and delete it.
import type { PrismaClient } from "../../db";
import type { Env } from "../../env";
import { defaultTargetRef } from "../../targets/scope";
import { type TargetView, listTargets } from "../../targets/store";
import { fleetSummary } from "../../troubleshooting/queries/fleet";
import { TargetCard } from "../components/targets/target-card";
import { TargetForm } from "../components/targets/target-form";

export interface ChannelOption {
  id: string;
  name: string;
  host: string;
  enabled: boolean;
}

export async function TargetsPage({ prisma, config }: { prisma: PrismaClient; config: Pick<Env, "targetBaseUrl" | "targetDatabaseUrl" | "AUTH_SECRET"> }) {
  const fallback = defaultTargetRef(config);
  const [stored, channels] = await Promise.all([
    listTargets(prisma, config.AUTH_SECRET).catch(() => null),
    prisma.alertChannel.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, host: true, enabled: true } }).catch((): ChannelOption[] => []),
  ]);
  const fleet = await fleetSummary(prisma, [fallback.targetKey, ...(stored ?? []).map((t) => t.targetKey)]).catch(() => []);
  const lastRun = (key: string) => fleet.find((f) => f.targetKey === key) ?? null;
  return (
    <div className="tr:space-y-6">
      <section>
        <h1 className="tr:text-lg tr:font-semibold">Targets</h1>
        <p className="tr-muted tr:mt-1 tr:text-sm">
          The platforms that runs check. Secrets (database password, session cookie, bearer token, Vercel token) are sealed when saved and never shown again: only whether one is stored.
        </p>
      </section>
      <ul className="tr:space-y-4" aria-label="Targets">
        <li>
          <TargetCard target={{ kind: "default", ref: fallback }} lastRun={lastRun(fallback.targetKey)} channels={channels} />
        </li>
        {(stored ?? []).map((t: TargetView) => (
          <li key={t.id}>
            <TargetCard target={{ kind: "stored", view: t }} lastRun={lastRun(t.targetKey)} channels={channels} />
          </li>
        ))}
      </ul>
      {stored === null && <p className="tr-card tr-muted tr:p-4 tr:text-sm">The stored targets cannot be listed while the database is unreachable.</p>}
      <section className="tr-card tr:p-5" aria-labelledby="add-target-title">
        <h2 id="add-target-title" className="tr:font-semibold">
          Add a target
        </h2>
        <TargetForm channels={channels} />
      </section>
    </div>
  );
}
