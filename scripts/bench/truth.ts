// Truth on a realistic platform: the web and network bots against the platform twin (a real
// Next.js App Router app, fixtures/platform) healthy, healthy while four CPU-busy processes share
// the two cores, with every fault on, and with an admin's session; recall per fault (each expected
// finding by its check and subject), precision per check (every reported issue matched to a
// switched-on fault, or counted false), and full runs (all three bots, the twin's own database as
// the target database) with the browser on the healthy twin.
import { type ChildProcess, spawn } from "node:child_process";
import type { EmbeddedServer } from "../lib/embedded-postgres";
import { closeEngine } from "../../lib/troubleshooting/workflow/engine";
import type { Finding } from "../../lib/troubleshooting/workflow/bots/diagnostic-bot";
import { makeCertificates } from "../../fixtures/test/certificates";
import { TWIN_ADMIN, type TwinFault, ensurePlatformTwinBuilt, preparePlatformTwinDatabase, startPlatformTwin } from "../../fixtures/test/platform-twin";
import { TWIN_FAULT_NAMES, type TruthVerdict, diagnoseSite, judge, startExpiredThirdParty, twinTarget } from "../../fixtures/test/twin-truth";
import { createBenchEngine, measure } from "./full-run";
import { median, record, table, target, textTable } from "./table";

const WORSE_THAN_LOW = new Set(["critical", "high", "medium"]);

interface Sample {
  ms: number;
  findings: Finding[];
  verdict: TruthVerdict;
  pages: number;
}

export async function benchTruth(server: EmbeddedServer, runs: number): Promise<void> {
  await ensurePlatformTwinBuilt();
  await server.createDatabase("twin");
  const databaseUrl = server.urlFor("twin");
  await preparePlatformTwinDatabase(databaseUrl);
  const certs = await makeCertificates();
  const thirdParty = await startExpiredThirdParty(certs);

  /** `runs` diagnoses of a twin started with `faults` (a twin per run: circuit breakers are per host). */
  const sample = async (faults: readonly TwinFault[], options: { loggedIn?: boolean } = {}): Promise<Sample[]> => {
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      const twin = await startPlatformTwin({ databaseUrl, faults: [...faults], externalScriptUrl: thirdParty.scriptUrl, ...(options.loggedIn ? { tls: certs.valid } : {}) });
      try {
        const credentials = options.loggedIn ? { origin: twin.url, cookie: await twin.signIn(TWIN_ADMIN.email, TWIN_ADMIN.password) } : null;
        const started = performance.now();
        const { web, findings } = await diagnoseSite(twinTarget(twin.url, certs), credentials);
        const ms = performance.now() - started;
        const pages = Number(/^Checked (\d+) page/.exec(web.checks.find((c) => c.code === "web.page_coverage")?.note ?? "")?.[1] ?? 0);
        samples.push({ ms, findings, pages, verdict: judge(findings, faults, { origin: new URL(twin.url).origin, thirdParty: thirdParty.origin, loggedIn: options.loggedIn ?? false }) });
      } finally {
        await twin.close();
      }
    }
    return samples;
  };
  const row = (s: Sample) => ({
    ms: s.ms,
    pages: s.pages,
    reported: s.verdict.reported,
    "medium+": s.findings.filter((f) => WORSE_THAN_LOW.has(f.draft.severity)).length,
    false: s.verdict.falseFindings.length,
  });

  let healthy: Sample[], loaded: Sample[], faulty: Sample[], loggedIn: Sample[];
  try {
    healthy = await sample([]);
    const busy: ChildProcess[] = Array.from({ length: 4 }, () => spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" }));
    try {
      loaded = await sample([]);
    } finally {
      for (const child of busy) child.kill("SIGKILL");
    }
    faulty = await sample(TWIN_FAULT_NAMES);
    loggedIn = await sample(TWIN_FAULT_NAMES, { loggedIn: true });
  } finally {
    await thirdParty.close();
  }
  const columns = ["ms", "pages", "reported", "medium+", "false"];
  table("truth", "healthy", "Truth: web + network bots on the healthy platform twin, Chromium on (reported = issues of low or worse; false = matched to no fault)", columns, healthy.map(row));
  table("truth", "healthyUnderLoad", "Truth: the same while four CPU-busy processes share the two cores", columns, loaded.map(row));
  table("truth", "faulty", "Truth: every fault of the twin on at once", columns, faulty.map(row));
  table("truth", "loggedIn", "Truth: every fault on, over https with an admin's session", columns, loggedIn.map(row));

  // Recall per fault kind: each expected finding, in how many runs.
  const all = [...faulty, ...loggedIn];
  const keys = [...new Map(all.flatMap((s) => s.verdict.recall.map((r) => [`${r.fault}|${r.code}|${r.subject}`, r] as const))).values()];
  textTable(
    "truth",
    "recall",
    `Recall per fault kind: each expected finding (check, subject) in the anonymous (${faulty.length}) and logged-in (${loggedIn.length}) runs with every fault on`,
    keys.map((k) => {
      const seen = (samples: Sample[]) => {
        const judged = samples.filter((s) => s.verdict.recall.some((r) => r.fault === k.fault && r.code === k.code && r.subject === k.subject));
        const hits = judged.filter((s) => s.verdict.recall.some((r) => r.fault === k.fault && r.code === k.code && r.subject === k.subject && r.found)).length;
        return judged.length === 0 ? "n/a (logged in only)" : `${hits}/${judged.length}`;
      };
      return { fault: k.fault, check: k.code, subject: k.subject, anonymous: seen(faulty), loggedIn: seen(loggedIn) };
    }),
  );
  // Precision per check: every reported issue (low or worse) of every run, matched or false.
  const reported = [...healthy, ...loaded, ...all].flatMap((s) => s.findings.filter((f) => f.draft.severity !== "info").map((f) => ({ f, false: s.verdict.falseFindings.includes(f) })));
  const codes = [...new Set(reported.map((r) => r.f.code))].sort();
  textTable(
    "truth",
    "precision",
    "Precision per check over every run above (issues of low or worse; false = matched to no switched-on fault and no trap within its limit)",
    codes.map((code) => {
      const mine = reported.filter((r) => r.f.code === code);
      const falseOnes = mine.filter((r) => r.false);
      return { check: code, reported: String(mine.length), false: String(falseOnes.length), precision: `${Math.round((100 * (mine.length - falseOnes.length)) / mine.length)} %`, falseSubjects: [...new Set(falseOnes.map((r) => r.f.draft.subject))].join(" ") };
    }),
  );
  const falseCount = reported.filter((r) => r.false).length;
  const hits = all.flatMap((s) => s.verdict.recall);
  target("truth: recall over the twin's faults (expected findings found, all runs)", (100 * hits.filter((r) => r.found).length) / Math.max(1, hits.length), "%", { atLeast: 100 });
  target("truth: precision (reported issues that are true, all runs)", (100 * (reported.length - falseCount)) / Math.max(1, reported.length), "%", { atLeast: 95 });
  target("truth: issues of medium or worse on the healthy twin, quiet and under load (all runs)", [...healthy, ...loaded].reduce((n, s) => n + row(s)["medium+"], 0), "issues", { equals: 0 });

  // Full runs, as an admin starts them: all three bots, the twin's own database as the target.
  const { engine, admin } = await createBenchEngine(server);
  const full: Record<string, number>[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const twin = await startPlatformTwin({ databaseUrl });
      try {
        const { row: measured } = await measure(engine, admin, twinTarget(twin.url, certs, { databaseUrl }));
        full.push(measured);
      } finally {
        await twin.close();
      }
    }
  } finally {
    await closeEngine(engine);
  }
  const medians = table("truth", "fullRun", "Full run on the healthy twin (web + database + network, Chromium on, rule reasoner) (ms)", ["wall", "web", "database", "network", "diagnostics", "errors"], full);
  record("truth", "discoveryPagesMedian", median(healthy.map((s) => s.pages)));
  target("full run with the browser on the twin (15+ pages), median wall", Math.round(medians.wall ?? 0), "ms", { below: 10_000 });
}
