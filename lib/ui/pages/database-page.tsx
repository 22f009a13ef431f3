// /database: the target database's sessions now and its blocking chains (read-only, outside any
// run), with the catalogue's cancel / terminate behind a confirmation. `?target=<name>` (absent:
// the default target).
import type { PrismaClient } from "../../db";
import type { TroubleshooterConfig } from "../../mount/config";
import { listTargetRefs } from "../../targets/scope";
import { liveTargetFor } from "../../troubleshooting/live-database/target";
import { type LiveDatabaseView, MAX_SESSIONS, QUERY_TEXT_MAX, readLiveDatabase } from "../../troubleshooting/queries/live-database";
import { Card } from "../components/alerts/alert-config";
import { RefreshControls } from "../components/live-database/refresh-controls";
import { ActionResults } from "../components/live-database/session-action";
import { BlockingChains, SessionsTable } from "../components/live-database/sessions-view";
import { TargetPicker } from "../components/target-picker";

const READ_TIMEOUT_MS = 10_000;

/** Why the database could not be read, by error code only (a message may quote the URL). */
function unreadable(err: unknown): string {
  const { code } = err as { code?: unknown };
  return typeof code === "string" && /^[A-Z0-9_]+$/.test(code) ? code : err instanceof Error ? err.name : "error";
}

export async function DatabasePage({ prisma, config, basePath, searchParams }: { prisma: PrismaClient; config: TroubleshooterConfig; basePath: string; searchParams: Record<string, string | string[] | undefined> }) {
  const name = typeof searchParams.target === "string" && searchParams.target ? searchParams.target : undefined;
  const [targets, found] = await Promise.all([listTargetRefs(prisma, config).catch(() => []), liveTargetFor(prisma, config, name)]);
  let view: LiveDatabaseView | null = null;
  let problem: string | null = null;
  if (!found.ok) problem = found.reason === "unknown" ? `There is no target named “${found.name}”.` : `The sealed password of target “${found.name}” cannot be opened with this AUTH_SECRET.`;
  else view = await readLiveDatabase(found.live.target.databaseUrl, AbortSignal.timeout(READ_TIMEOUT_MS)).catch((err: unknown) => ((problem = `The database could not be read (${unreadable(err)}).`), null));
  const current = found.ok ? found.live.name : name;
  const href = `${basePath}/database${current ? `?target=${encodeURIComponent(current)}` : ""}`;

  return (
    <div className="tr:space-y-6">
      <div className="tr:flex tr:flex-wrap tr:items-end tr:justify-between tr:gap-3">
        <div>
          <h1 className="tr:text-lg tr:font-semibold">Live database</h1>
          {found.ok && (
            <p className="tr-muted tr:text-sm tr:break-all">
              {found.live.name}: {found.live.database}
            </p>
          )}
        </div>
        <div className="tr:flex tr:flex-wrap tr:items-end tr:gap-4">
          <TargetPicker targets={targets} current={current} allowAll={false} />
          {view && <RefreshControls href={href} readAt={view.at} />}
        </div>
      </div>
      {problem && (
        <p className="tr-card tr:p-4 tr:text-sm tr:text-red-700 tr:dark:text-red-400" role="alert">
          {problem}
        </p>
      )}
      {view && found.ok && (
        <ActionResults>
          <p className="tr-muted tr:text-sm" data-testid="live-visibility">
            Read as role <strong>{view.role}</strong>, in a read-only transaction.{" "}
            {view.seesAll
              ? "It sees every session's query (pg_read_all_stats)."
              : `Without pg_read_all_stats it cannot see other roles' queries, states or times: ${view.hidden} session${view.hidden === 1 ? " is" : "s are"} shown as hidden.`}{" "}
            Query text has its literals replaced by ? and is cut at {QUERY_TEXT_MAX} characters. Troubleshooter&apos;s own sessions are left out.
            {view.truncated && ` Only the first ${MAX_SESSIONS} sessions are listed (active ones first).`}
          </p>
          <Card title="Blocking chains" testId="blocking-chains">
            <BlockingChains chains={view.chains} sessions={view.sessions} target={found.live.name} />
          </Card>
          <Card title={`Sessions (${view.sessions.length})`} testId="live-sessions">
            <SessionsTable sessions={view.sessions} target={found.live.name} />
          </Card>
        </ActionResults>
      )}
    </div>
  );
}
