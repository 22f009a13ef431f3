import type { ToolCallRecord } from "../../../troubleshooting/investigation/schema";
import { argsText, durationText, resultText, toolCallOutcome } from "../../../troubleshooting/investigation-view";

/** The anchor of a tool call's entry on the run page ("T3" → "investigation-T3"). */
export const toolCallAnchor = (id: string) => `investigation-${id}`;

/** Shows a tool call's entry with its result open (a citation was followed to it). The entry's
 * `<details>` is the browser's: opened in the DOM, the admin can close it again. */
export function openToolCall(id: string): void {
  const details = document.getElementById(toolCallAnchor(id))?.querySelector("details");
  if (details) details.open = true;
}

const OUTCOME_STYLE: Record<ToolCallRecord["status"], string> = {
  ok: "tr:text-green-700 tr:dark:text-green-300",
  refused: "tr:text-amber-700 tr:dark:text-amber-300",
  error: "tr:text-red-700 tr:dark:text-red-300",
};

/** The tool calls in the order they were made: id, tool, arguments, outcome, time, and the result
 * as the model saw it (redacted, truncated) in a scrollable `<pre>`: React text, never markup. */
export function ToolCallList({ calls }: { calls: readonly ToolCallRecord[] }) {
  return (
    <ol className="tr:divide-y tr:divide-slate-100 tr:dark:divide-slate-800" aria-label="Tool calls">
      {calls.map((call) => (
        <li key={call.id} id={toolCallAnchor(call.id)} className="tr-investigation-call tr:scroll-mt-4 tr:space-y-1 tr:px-5 tr:py-2 tr:text-sm" data-testid="tool-call" data-call-id={call.id} data-status={call.status}>
          <p className="tr:flex tr:flex-wrap tr:items-baseline tr:gap-x-2 tr:gap-y-1">
            <span className="tr:font-mono tr:font-semibold">{call.id}</span>
            <code className="tr:font-medium">{call.tool}</code>
            <code className="tr-muted tr:min-w-0 tr:text-xs tr:break-all" data-testid="tool-call-args">
              {argsText(call.args)}
            </code>
          </p>
          <p className="tr:flex tr:flex-wrap tr:items-baseline tr:gap-x-2">
            <span className={`tr:font-medium tr:break-words ${OUTCOME_STYLE[call.status]}`} data-testid="tool-call-outcome">
              {toolCallOutcome(call)}
            </span>
            <span className="tr-muted tr:text-xs tr:tabular-nums">{durationText(call.durationMs)}</span>
          </p>
          {call.result !== undefined && (
            <details>
              <summary className="tr:cursor-pointer tr:text-xs tr:font-medium">Result of {call.id}</summary>
              {/* Scrolls when long: focusable, so keyboard users can scroll it too. */}
              <pre tabIndex={0} role="region" aria-label={`Result of ${call.id} (${call.tool})`} className="tr:mt-1 tr:max-h-64 tr:overflow-auto tr:rounded tr:bg-slate-50 tr:p-2 tr:text-xs tr:focus-visible:outline-2 tr:focus-visible:outline-indigo-500 tr:dark:bg-slate-950" data-testid="tool-call-result">
                {resultText(call.result)}
              </pre>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
