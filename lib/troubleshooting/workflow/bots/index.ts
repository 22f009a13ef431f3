// The six bots, each usable on its own:
//   await webDiagnosticBot.runDiagnostics(target)          → checks and findings of the web domain
//   await databaseFixBot.resolveIssues(issues, { target })  → safe fixes applied, the rest pending
import { createDiagnosticBot } from "./diagnostic-bot";
import { createFixBot } from "./fix-bot";

export const webDiagnosticBot = createDiagnosticBot("web");
export const databaseDiagnosticBot = createDiagnosticBot("database");
export const networkDiagnosticBot = createDiagnosticBot("network");
export const webFixBot = createFixBot("web");
export const databaseFixBot = createFixBot("database");
export const networkFixBot = createFixBot("network");
