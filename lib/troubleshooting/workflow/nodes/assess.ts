// System assessment: what the bots will work against, and what the admin's words point at.
import { describeDbError } from "../../../health/pg-errors";
import type { EngineDeps } from "../deps";
import { appendEvent } from "../../runs/events";
import { withDatabase } from "../../probes/database";
import { openTarget } from "../../runs/target-secrets";
import { describeHttpError, httpGet } from "../../probes/http";
import { withDeadline } from "../../probes/resilience";
import type { RunConfig, RunStateUpdate, RunStateValue, SystemInfo } from "../state";
import { RunCancelledError, inPhase } from "./phase";
import { BUILD_ID_ANYWHERE, parseBuildId } from "../../deploys/build-id";
import { recordDeploy } from "../../deploys/record";

const ASSESS_TIMEOUT_MS = 10_000;
/** The page's body is read until it pauses this long (ms) without its build id. */
export const ASSESS_READ_IDLE_MS = 300;
const SETTINGS = ["max_connections", "statement_timeout", "idle_in_transaction_session_timeout", "shared_preload_libraries", "work_mem"];

export function assessNode(deps: EngineDeps) {
  return inPhase(deps, "system_assessment", async (state: RunStateValue, signal): Promise<RunStateUpdate> => {
    const config = { ...state.config, target: openTarget(state.config.target, deps.settings.targetDatabaseUrl) };
    const [baseUrl, database] = await Promise.all([assessBaseUrl(config), assessDatabase(config)]);
    if (signal.aborted) throw new RunCancelledError(); // cancelled meanwhile: nothing recorded after the run's end
    const system: SystemInfo = { baseUrl, database, endpoints: config.target.endpoints, browser: await browserAvailability(config, deps.settings.site?.chromiumPath) };
    // Which build the run looks at, stored on the run row now: a run cut off later still says so.
    const deploy = await recordDeploy(deps.prisma, state.runId, baseUrl.nextBuildId ?? null, deps.settings.integrations?.vercel);
    const triage = await deps.reasoner.triage(config.initialIssue, config.domains);
    await appendEvent(deps.prisma, state.runId, "system_assessment", "system_assessed", {
      system: { ...system, database: { ...system.database, url: state.config.target.databaseUrl } },
      triage: triage.value,
      deploy,
    });
    return {
      triage: triage.value,
      llm: { used: triage.value.source === "llm", model: deps.reasoner.model, fallbackReason: triage.fallbackReason, usage: triage.usage },
    };
  });
}

/** Exported for its test. Trusts the target's private CA, as the checks do. */
export async function assessBaseUrl(config: Pick<RunConfig, "target">): Promise<SystemInfo["baseUrl"]> {
  try {
    // Only as much of the page as it takes to find its build id (deploys/build-id.ts): a slow,
    // streamed page is judged by the web bot, not waited for here. A page without one (not
    // Next.js) is read until it pauses: a Next.js page names its build in the first burst (the
    // manifest's script in <head>, __NEXT_DATA__ with the Pages Router's whole, unstreamed page,
    // the App Router's root RSC row with the shell), and a streamed page's late part was waited
    // for to the end before.
    const res = await withDeadline(ASSESS_TIMEOUT_MS, (signal) =>
      httpGet(config.target.baseUrl, signal, { ca: config.target.caCertificates ?? null, readUntil: BUILD_ID_ANYWHERE, readIdleMs: ASSESS_READ_IDLE_MS }),
    );
    const buildId = parseBuildId(res.body);
    return { reachable: true, status: res.status, ttfbMs: Math.round(res.ttfbMs), nextBuildId: buildId };
  } catch (err) {
    return { reachable: false, error: describeHttpError(err) };
  }
}

async function assessDatabase(config: RunConfig): Promise<SystemInfo["database"]> {
  try {
    return await withDeadline(ASSESS_TIMEOUT_MS, (signal) =>
      withDatabase(config.target.databaseUrl, signal, "read-only", async (client) => {
        const { rows } = await client.query<{ name: string; setting: string }>(
          "SELECT name, setting FROM pg_settings WHERE name = ANY($1) OR name = 'server_version'",
          [SETTINGS],
        );
        const settings = Object.fromEntries(rows.map((r) => [r.name, r.setting]));
        const { server_version: serverVersion, ...rest } = settings;
        return { reachable: true, serverVersion, settings: rest };
      }),
    );
  } catch (err) {
    return { reachable: false, error: describeDbError(err).message };
  }
}

/** Loaded as the browser checks load it (site/chromium.ts): a require.resolve from the process's
 * folder is wrong in a host, whose bundler (webpack on Next 15) cannot resolve an ESM-only package that way. */
async function browserAvailability(config: RunConfig, chromiumPath: string | null | undefined): Promise<SystemInfo["browser"]> {
  if (!config.target.browser) return { available: false, reason: "disabled for this run" };
  if (chromiumPath) return { available: true, reason: `Chromium from CHROMIUM_PATH` };
  return import("@sparticuz/chromium").then(
    () => ({ available: true, reason: "Chromium from @sparticuz/chromium" }),
    () => ({ available: false, reason: "no Chromium package installed" }),
  );
}
