import { RangeNav } from "../components/range-nav";
import { TargetPicker } from "../components/target-picker";
import { CheckOutcomesTable } from "../components/checks/check-outcomes";
import { ProbeTable } from "../components/checks/probe-table";
import type { PrismaClient } from "../../db";
import type { Env } from "../../env";
import { DEFAULT_TARGET_NAME, listTargetRefs, targetScope } from "../../targets/scope";
import { historyRangeSchema } from "../../troubleshooting/queries/history";
import { checkHistory } from "../../troubleshooting/queries/check-history";

type Params = Record<string, string | string[] | undefined>;

/** Per-check history of one target (`?target=`, the configured one by default: samples of two
 * targets are never added together) over `?range=`. */
export async function ChecksPage({ prisma, config, searchParams: params }: { prisma: PrismaClient; config: Pick<Env, "targetBaseUrl" | "targetDatabaseUrl">; searchParams: Params }) {
  const range = historyRangeSchema.catch("7d").parse(params.range);
  const name = typeof params.target === "string" && params.target ? params.target : DEFAULT_TARGET_NAME;
  const [targets, { target }] = await Promise.all([listTargetRefs(prisma, config).catch(() => []), targetScope(prisma, config, name).catch(() => ({ target: null }))]);
  const data = target ? await checkHistory(prisma, range, target.targetKey).catch(() => null) : null;
  return (
    <div className="tr:space-y-6">
      <div className="tr:flex tr:flex-wrap tr:items-end tr:justify-between tr:gap-3">
        <div>
          <h1 className="tr:text-lg tr:font-semibold">Check history</h1>
          {target && (
            <p className="tr-muted tr:text-sm" data-testid="checks-target">
              {target.name} ({target.baseUrl})
            </p>
          )}
        </div>
        <div className="tr:flex tr:flex-wrap tr:items-end tr:gap-3">
          <TargetPicker targets={targets} current={target?.name} keep={{ range }} allowAll={false} />
          <RangeNav range={range} />
        </div>
      </div>
      {!target ? (
        <p className="tr-card tr:p-4 tr:text-sm tr:text-red-700 tr:dark:text-red-400" role="alert">
          There is no target named “{name}”. Choose one above.
        </p>
      ) : data ? (
        <>
          <ProbeTable probes={data.probes} bucket={data.bucket} />
          <CheckOutcomesTable checks={data.checks} bucket={data.bucket} />
        </>
      ) : (
        <p className="tr-card tr:p-4 tr:text-sm tr:text-red-700 tr:dark:text-red-400">The check history cannot be read while the database is unreachable.</p>
      )}
    </div>
  );
}
