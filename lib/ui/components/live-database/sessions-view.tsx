import type { BlockingNode, LiveSession } from "../../../troubleshooting/queries/live-database";
import { formatAge } from "./format";
import { type ActionSession, SessionAction } from "./session-action";

/** The query cell: the text (React escapes it), or why there is none. */
function QueryText({ s }: { s: LiveSession }) {
  if (!s.visible) return <span className="tr-muted tr:italic">hidden: another role&apos;s session (needs pg_read_all_stats)</span>;
  if (!s.query) return <span className="tr-muted tr:italic">no query yet</span>;
  return <code className="tr:block tr:max-w-xl tr:text-xs tr:break-words tr:whitespace-pre-wrap">{s.query}</code>;
}

/** A hidden session's state is unknown, not absent. */
const stateText = (s: LiveSession) => s.state ?? (s.visible ? "–" : "not visible");

const wait = (s: LiveSession) => (s.waitEventType ? `${s.waitEventType}: ${s.waitEvent ?? "?"}` : "–");

const forAction = (s: LiveSession, action: "cancel" | "terminate"): ActionSession | null => {
  const since = action === "cancel" ? s.queryStart : s.xactStart;
  if (!since || !s.maySignal) return null;
  return { pid: s.pid, user: s.user, query: s.query, age: formatAge(action === "cancel" ? s.queryAgeSeconds : s.xactAgeSeconds), since };
};

/** The actions the catalogue has for this session: cancel an active query; terminate a session
 * that blocks others (db.terminate_blocking_session acts only on a blocker). */
function Actions({ s, target, blocker }: { s: LiveSession; target: string; blocker: boolean }) {
  const cancel = s.state === "active" ? forAction(s, "cancel") : null;
  const terminate = blocker ? forAction(s, "terminate") : null;
  if (!cancel && !terminate) {
    return s.signalRefusal && (s.state === "active" || blocker) ? <span className="tr-muted tr:text-xs">No action: {s.signalRefusal}</span> : null;
  }
  return (
    <div className="tr:flex tr:flex-col tr:gap-1">
      {cancel && <SessionAction target={target} action="cancel" session={cancel} />}
      {terminate && <SessionAction target={target} action="terminate" session={terminate} />}
    </div>
  );
}

/** Who blocks whom, root blockers first (nested lists: a screen reader hears the depth). */
export function BlockingChains({ chains, sessions, target }: { chains: BlockingNode[]; sessions: LiveSession[]; target: string }) {
  const byPid = new Map(sessions.map((s) => [s.pid, s]));
  const Node = ({ node, depth }: { node: BlockingNode; depth: number }) => {
    const s = byPid.get(node.pid);
    return (
      <li className="tr:mt-2" data-testid={depth === 0 ? "root-blocker" : "blocked-session"} data-pid={node.pid}>
        <div className="tr:flex tr:flex-wrap tr:items-start tr:justify-between tr:gap-2 tr:rounded-md tr:border tr:border-slate-200 tr:p-2 tr:dark:border-slate-700">
          <div className="tr:min-w-0 tr:text-sm">
            <p>
              <span className="tr:font-medium">{depth === 0 ? "Root blocker" : "Blocked"}: backend {node.pid}</span>
              {s ? <> · {s.user ?? "unknown user"} · {s.state ?? "state hidden"} · query {formatAge(s.queryAgeSeconds)} · transaction {formatAge(s.xactAgeSeconds)} · wait {wait(s)}</> : " (ended)"}
              {node.blocks.length > 0 && <> · blocks {node.blocks.length}</>}
            </p>
            {s && <QueryText s={s} />}
          </div>
          {s && depth === 0 && <Actions s={s} target={target} blocker />}
        </div>
        {node.blocks.length > 0 && (
          <ul className="tr:ml-4 tr:border-l tr:border-slate-300 tr:pl-3 tr:dark:border-slate-700" aria-label={`Waiting on backend ${node.pid}`}>
            {node.blocks.map((b) => (
              <Node key={b.pid} node={b} depth={depth + 1} />
            ))}
          </ul>
        )}
      </li>
    );
  };
  if (chains.length === 0) return <p className="tr-muted tr:text-sm" data-testid="no-blocking">No session is waiting for another&apos;s lock.</p>;
  return (
    <ul aria-label="Blocking chains">
      {chains.map((c) => (
        <Node key={c.pid} node={c} depth={0} />
      ))}
    </ul>
  );
}

export function SessionsTable({ sessions, target }: { sessions: LiveSession[]; target: string }) {
  if (sessions.length === 0) return <p className="tr-muted tr:text-sm">No other client sessions on this database.</p>;
  const blockers = new Set(sessions.flatMap((s) => s.blockedBy));
  return (
    <div className="tr:overflow-x-auto" tabIndex={0} role="region" aria-label="Sessions: table">
      <table className="tr:w-full tr:text-left tr:text-sm">
        <thead>
          <tr className="tr-muted tr:text-xs">
            {["pid", "User", "Application", "State", "Query", "Query age", "Transaction age", "Wait", "Blocked by", "Action"].map((h) => (
              <th key={h} scope="col" className="tr:pr-3 tr:font-medium tr:whitespace-nowrap">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.pid} className="tr:border-t tr:border-black/5 tr:align-top tr:dark:border-white/10" data-testid="live-session" data-pid={s.pid}>
              <td className="tr:py-1 tr:pr-3 tr:tabular-nums">{s.pid}</td>
              <td className="tr:py-1 tr:pr-3 tr:whitespace-nowrap">{s.user ?? "–"}</td>
              <td className="tr:py-1 tr:pr-3 tr:whitespace-nowrap">{s.application || "–"}</td>
              <td className="tr:py-1 tr:pr-3 tr:whitespace-nowrap">{stateText(s)}</td>
              <td className="tr:min-w-64 tr:py-1 tr:pr-3"><QueryText s={s} /></td>
              <td className="tr:py-1 tr:pr-3 tr:whitespace-nowrap tr:tabular-nums">
                {/* An idle session's query_start is its last query's: not a running query's age. */}
                {s.state === "active" || s.queryAgeSeconds == null ? formatAge(s.queryAgeSeconds) : <span className="tr-muted">last {formatAge(s.queryAgeSeconds)} ago</span>}
              </td>
              <td className="tr:py-1 tr:pr-3 tr:whitespace-nowrap tr:tabular-nums">{formatAge(s.xactAgeSeconds)}</td>
              <td className="tr:py-1 tr:pr-3 tr:whitespace-nowrap">{wait(s)}</td>
              <td className="tr:py-1 tr:pr-3 tr:tabular-nums">{s.blockedBy.length ? s.blockedBy.join(", ") : "–"}</td>
              <td className="tr:py-1 tr:pr-3"><Actions s={s} target={target} blocker={blockers.has(s.pid)} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
