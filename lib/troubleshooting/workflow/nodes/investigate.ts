// The AI investigation of the top-ranked issues, after prioritization and before fixes are
// planned (lib/troubleshooting/investigation). Without a model it records why it did not run.
import type { Prisma } from "../../../generated/prisma/client";
import type { EngineDeps } from "../deps";
import { notRun } from "../../investigation/schema";
import type { RunStateUpdate, RunStateValue } from "../state";
import { inPhase } from "./phase";

export function investigateNode(deps: EngineDeps) {
  return inPhase(deps, "issue_prioritization", async (state: RunStateValue): Promise<RunStateUpdate> => {
    const record = notRun(deps.investigator ? "not implemented yet" : "no OPENAI_API_KEY: no AI investigation");
    await deps.prisma.troubleshootingRun.update({ where: { id: state.runId }, data: { investigation: record as unknown as Prisma.InputJsonObject } });
    return {};
  }, { detail: { bot: "investigator" } }); // part of prioritization: the report's phase spans both nodes

}
