// The five example scenarios. Imported once the environment names the example database and site.
import { exportMonitoringData, getComprehensiveStatus, monitorOperation } from "../../lib/monitoring";
import { errorReport } from "../../lib/monitoring/error-report";
import { metricsText } from "../../lib/monitoring/metrics";
import { createDiagnosticBot } from "../../lib/troubleshooting/workflow/bots/diagnostic-bot";
import { triageByRules } from "../../lib/troubleshooting/workflow/coordinator";
import { standaloneContext as addon } from "../../lib/standalone/context";
import { DOMAINS } from "../../lib/troubleshooting/report";
import { buildReport } from "../../lib/troubleshooting/queries/report";
import { createRun, defaultTarget, executeRun } from "../../lib/troubleshooting/runs/run-service";

interface Context {
  say: (line?: string) => void;
  heading: (n: number, title: string) => void;
  siteUrl: string;
  downUrl: string;
  exportDir: string;
  faults: string[];
}

export async function scenarios(ctx: Context): Promise<void> {
  const { say, heading } = ctx;
  const engine = await addon.engine();
  const settings = addon.config();
  const prisma = engine.deps.prisma;
  const run = async (baseUrl: string, initialIssue: string) => {
    const { runId, config } = await createRun(engine, { trigger: "cli", initialIssue }, defaultTarget(settings, { baseUrl, browser: false }));
    await executeRun(engine, runId, config);
    const report = await buildReport(prisma, runId);
    if (!report) throw new Error(`run ${runId} has no report`);
    return report;
  };
  try {
    heading(1, "Full workflow: seven phases, three diagnostic bots, fixes, verification, report");
    say(`target ${ctx.siteUrl} with injected faults: ${ctx.faults.join(", ")}`);
    const full = await run(ctx.siteUrl, "Pages look broken and some API calls fail");
    say(`run ${full.runId}: ${full.status} in ${full.durationMs} ms, health ${full.healthScore.before} -> ${full.healthScore.after}`);
    say(`phases: ${full.phases.map((p) => `${p.name} ${p.status} ${p.durationMs} ms`).join("; ")}`);
    for (const i of full.issues) say(`  issue [${i.severity}] ${i.code}: ${i.title} (${i.status})`);
    for (const a of full.actions) say(`  action ${a.code}: ${a.status}${a.verified ? ", verified" : ""}`);
    say(`summary: ${full.summary}`);

    heading(2, "Coordinator only: triage of problem descriptions (rule-based without OPENAI_API_KEY)");
    for (const text of ["The checkout page is slow and shows a 500", "Database connections are exhausted", "SSL certificate warning in the browser", "Something is off"]) {
      const triage = triageByRules(text, DOMAINS);
      say(`"${text}" -> focus ${triage.focus.join(", ")}${triage.hypotheses.length ? `; hypotheses: ${triage.hypotheses.join(" / ")}` : ""}`);
    }

    heading(3, "Individual bots: each diagnostic bot on its own");
    const target = defaultTarget(settings, { browser: false });
    for (const domain of DOMAINS) {
      const result = await createDiagnosticBot(domain).runDiagnostics(target, { checkTimeoutMs: 10_000, botTimeoutMs: 30_000, breakerThreshold: 50 });
      const counts = ["passed", "issues", "skipped", "error"].map((s) => `${result.checks.filter((c) => c.status === s).length} ${s}`);
      say(`${domain}-diagnostic: ${result.checks.length} checks (${counts.join(", ")}); findings: ${[...new Set(result.findings.map((f) => f.code))].join(", ") || "none"}`);
    }

    heading(4, "Monitoring: status, a monitored operation, metrics and an export");
    const op = { botName: "web-diagnostic", botType: "diagnostic", operation: "fetch_home" };
    const status = await monitorOperation(op, async () => (await fetch(ctx.siteUrl)).status, prisma);
    say(`monitored operation ${op.botName}.${op.operation} answered HTTP ${status}`);
    const health = await getComprehensiveStatus({ prisma, llmConfigured: settings.llmEnabled, webhookConfigured: Boolean(settings.ALERT_WEBHOOK_URL) });
    say(`comprehensive status: ${health.status}, score ${health.score}`);
    for (const [name, c] of Object.entries(health.components)) say(`  ${name}: ${c.status} (${c.detail})`);
    const metrics = (await metricsText(prisma)).text.split("\n").filter((l) => /^troubleshooter_(runs_total|operations_total|health_score|issues_total\{domain="web")/.test(l));
    for (const line of metrics.slice(0, 8)) say(`  ${line}`);
    say(`export written to ${await exportMonitoringData({ dir: ctx.exportDir, prisma })}`);

    heading(5, "Error handling: a target that is down, and an operation that fails");
    const down = await run(ctx.downUrl, "The site is down");
    const errored = down.checks.filter((c) => c.status === "error" || c.status === "skipped");
    say(`run against ${ctx.downUrl}: ${down.status}, health ${down.healthScore.after}; ${errored.length} checks could not judge (skipped or error, never "passed")`);
    for (const i of down.issues.slice(0, 4)) say(`  issue [${i.severity}] ${i.code}: ${i.title}`);
    await monitorOperation({ botName: "network-diagnostic", botType: "diagnostic", operation: "fetch_down" }, () => fetch(ctx.downUrl), prisma).catch((err: unknown) => {
      say(`monitored operation failed as expected (${err instanceof Error ? err.message : "error"}) and was tracked`);
    });
    const report = await errorReport(prisma, new Date(Date.now() - 3_600_000));
    say(`errors tracked: ${report.total} (${Object.entries(report.byCategory).filter(([, n]) => n > 0).map(([c, n]) => `${c} ${n}`).join(", ")})`);
    for (const p of report.patterns.slice(0, 5)) say(`  ${p.count}x ${p.code} [${p.category}] "${p.pattern}" -> ${p.recommendation}`);
  } finally {
    await addon.close();
  }
}
