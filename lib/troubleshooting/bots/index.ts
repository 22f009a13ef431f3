// The six bots, each usable on its own:
//   await webDiagnosticBot.runDiagnostics(target)          → checks and findings of the web domain
//   await databaseFixBot.resolveIssues(issues, { target })  → safe fixes applied, the rest pending
import type { Target } from "../catalogue";
import type { Reasoner } from "../reasoner";
import { createDiagnosticBot } from "./diagnostic-bot";
import { type FixBot, createFixBot, resolveIssuesAlone } from "./fix-bot";

function withResolve(bot: FixBot) {
  return {
    ...bot,
    resolveIssues: (issues: Parameters<FixBot["planActions"]>[0], options: { target: Target; timeoutMs?: number; reasoner?: Reasoner }) =>
      resolveIssuesAlone(bot, issues, options),
  };
}

export const webDiagnosticBot = createDiagnosticBot("web");
export const databaseDiagnosticBot = createDiagnosticBot("database");
export const networkDiagnosticBot = createDiagnosticBot("network");
export const webFixBot = withResolve(createFixBot("web"));
export const databaseFixBot = withResolve(createFixBot("database"));
export const networkFixBot = withResolve(createFixBot("network"));
