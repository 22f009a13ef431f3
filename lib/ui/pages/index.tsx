// The add-on's one page component, for a host's optional catch-all route
// (app/admin/troubleshooting/[[...path]]/page.tsx): it authorizes the visitor through the host's
// authorize(), then renders the section the path names inside the host's own admin layout. Its
// styles are compiled and scoped to `.troubleshooter` (lib/ui/troubleshooter.css).
import "../troubleshooter.css";
import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { requireAdmin } from "../../auth/guard";
import type { AddonContext } from "../../mount/context";
import { AdminNav } from "../components/admin-nav";
import { NotFoundView } from "../components/not-found-view";
import { PathsProvider } from "../paths";
import { AlertsPage } from "./alerts-page";
import { ChecksPage } from "./checks-page";
import { DatabasePage } from "./database-page";
import { HistoryPage } from "./history-page";
import { IssuePage } from "./issue-page";
import { IssuesPage } from "./issues-page";
import { MonitoringPage } from "./monitoring-page";
import { OverviewPage } from "./overview-page";
import { RunPage } from "./run-page";
import { RunsPage } from "./runs-page";
import { TargetsPage } from "./targets-page";
import { runsAwaitingDecision } from "../../troubleshooting/queries/runs";

type SearchParams = Record<string, string | string[] | undefined>;

/** What Next passes an optional catch-all page. */
export interface CatchAllPageProps {
  params: Promise<{ [segment: string]: string[] | string | undefined }>;
  searchParams: Promise<SearchParams>;
}

/** The catch-all's segments, whatever the host named its [[...segment]]. */
async function segmentsOf(params: CatchAllPageProps["params"]): Promise<string[]> {
  const values = Object.values(await params);
  const first = values.find((v) => Array.isArray(v));
  return Array.isArray(first) ? first : [];
}

const TITLES: Record<string, string> = { "": "Troubleshooting", runs: "Troubleshooting runs", issues: "Issues", history: "Troubleshooting history", checks: "Check history", monitoring: "Monitoring", alerts: "Alerts", database: "Live database", targets: "Troubleshooting targets" };

export function createPage(addon: AddonContext) {
  async function Page({ params, searchParams }: CatchAllPageProps): Promise<ReactNode> {
    const config = addon.config();
    const segments = await segmentsOf(params);
    await requireAdmin(config, await headers(), [config.basePath, ...segments].join("/"));
    const prisma = addon.prisma();
    const query = await searchParams;
    const { basePath, apiBasePath } = config;
    const [section, id, ...rest] = segments;
    // Runs waiting for an admin: the nav's badge and the overview's first section.
    const waiting = await runsAwaitingDecision(prisma).catch(() => []);
    let body: ReactNode;
    // Unknown paths and runs render inside the add-on's layout, navigation included.
    if (rest.length > 0) body = <NotFoundView what="page" />;
    else if (section === undefined) body = <OverviewPage prisma={prisma} config={config} searchParams={query} waiting={waiting} />;
    else if (section === "runs" && id) body = <RunPage prisma={prisma} runId={id} />;
    else if (section === "issues") body = id ? <IssuePage prisma={prisma} config={config} issueId={id} searchParams={query} /> : <IssuesPage prisma={prisma} config={config} searchParams={query} />;
    else if (id) body = <NotFoundView what="page" />;
    else if (section === "runs") body = <RunsPage prisma={prisma} basePath={basePath} searchParams={query} config={config} />;
    else if (section === "targets") body = <TargetsPage prisma={prisma} config={config} />;
    else if (section === "history") body = <HistoryPage prisma={prisma} basePath={basePath} config={config} searchParams={query} />;
    else if (section === "checks") body = <ChecksPage prisma={prisma} config={config} searchParams={query} />;
    else if (section === "monitoring") body = <MonitoringPage prisma={prisma} apiBasePath={apiBasePath} configured={{ llmConfigured: config.llmEnabled, webhookConfigured: Boolean(config.ALERT_WEBHOOK_URL) }} searchParams={query} />;
    else if (section === "alerts") body = <AlertsPage prisma={prisma} config={config} />;
    else if (section === "database") body = <DatabasePage prisma={prisma} config={config} basePath={basePath} searchParams={query} />;
    else body = <NotFoundView what="page" />;
    return (
      <PathsProvider paths={{ basePath, apiBasePath }}>
        <div className="troubleshooter">
          {/* A size container: the add-on's columns follow the room the host's layout gives it, not the viewport. */}
          <div className="tr:@container">
            <a href="#troubleshooter-main" className="tr-skip-link">
              Skip to main content
            </a>
            <div className="tr:mb-6 tr:flex tr:flex-wrap tr:items-center tr:gap-x-6 tr:gap-y-2">
              <span className="tr:font-semibold">Troubleshooter</span>
              <AdminNav waiting={waiting} />
            </div>
            {/* The skip link's target; focusable from script only, so focus lands here, not on the body. */}
            <div id="troubleshooter-main" tabIndex={-1} className="tr:outline-none">
              {body}
            </div>
          </div>
        </div>
      </PathsProvider>
    );
  }

  /** The page's title, for `export const generateMetadata` in the host's page file. */
  async function generateMetadata({ params }: Pick<CatchAllPageProps, "params">): Promise<Metadata> {
    const [section, id] = await segmentsOf(params);
    return { title: section === "runs" && id ? "Troubleshooting run" : section === "issues" && id ? "Issue" : (TITLES[section ?? ""] ?? "Troubleshooting") };
  }

  return { Page, generateMetadata };
}
