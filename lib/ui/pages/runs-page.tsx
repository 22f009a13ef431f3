import type { PrismaClient } from "../../db";
import type { Env } from "../../env";
import { listTargetRefs } from "../../targets/scope";
import { RunsSection } from "../components/history/runs-section";

/** Every target's runs, or one's (`?target=<name>`). */
export async function RunsPage({ prisma, basePath, searchParams, config }: { prisma: PrismaClient; basePath: string; searchParams: Record<string, string | string[] | undefined>; config: Pick<Env, "targetBaseUrl" | "targetDatabaseUrl"> }) {
  const targets = await listTargetRefs(prisma, config).catch(() => undefined);
  return (
    <div className="tr:space-y-6">
      <h1 className="tr:text-lg tr:font-semibold">Runs</h1>
      <RunsSection prisma={prisma} action={`${basePath}/runs`} searchParams={searchParams} targets={targets} />
    </div>
  );
}
