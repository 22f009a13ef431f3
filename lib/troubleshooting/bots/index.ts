// The six bots, each usable on its own.
import { createDiagnosticBot } from "./diagnostic-bot";
import { createFixBot } from "./fix-bot";

export const webDiagnosticBot = createDiagnosticBot("web");
export const databaseDiagnosticBot = createDiagnosticBot("database");
export const networkDiagnosticBot = createDiagnosticBot("network");
export const webFixBot = createFixBot("web");
export const databaseFixBot = createFixBot("database");
export const networkFixBot = createFixBot("network");
