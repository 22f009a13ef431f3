// Advice actions: exact steps for an admin, never applied, never reported as resolving anything.
import { z } from "zod";
import type { FixActionDef, IssueView } from "../catalogue";
import type { Domain } from "../report";

export function advice(
  domain: Domain,
  code: string,
  addresses: string[],
  title: string,
  steps: (issue: IssueView) => string | null,
): FixActionDef<{ steps: string }> {
  return {
    code,
    domain,
    title,
    description: `Steps for ${addresses.join(", ")} (advice: not applied by Troubleshooter).`,
    addresses,
    risk: "advice",
    params: z.object({ steps: z.string() }),
    plan: (issue) => {
      const text = steps(issue);
      return text ? { steps: text } : null;
    },
    describe: ({ steps: text }) => text,
    apply: async () => ({ ok: false, detail: "advice is not applied" }),
  };
}

export const str = (value: unknown) => (typeof value === "string" ? value : String(value ?? ""));
