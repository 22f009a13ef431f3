// The plan of a query the target runs, by its session's pid or its pg_stat_statements queryid: the
// tool reads the text itself and asks PostgreSQL for the plan without running it (no ANALYZE), in
// a READ ONLY transaction with a statement timeout. The text is never the model's.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { z } from "zod";
import { sqlQualified } from "../../fixes/quote";
import { OWN_APPLICATIONS, readOnlyTransaction } from "./read-only";
import { sqlTextShape } from "./sql-text";
import { type InvestigationTool, ToolRefusedError } from "./tool";

/** The statement text returned at most (characters). */
export const QUERY_TEXT_MAX = 2_000;
/** Plan nodes returned at most (depth first from the top). */
export const PLAN_NODES_MAX = 20;
/** Statements PREPARE (and so EXPLAIN) takes; anything else is a utility statement. */
const PLANNABLE = new Set(["select", "insert", "update", "delete", "merge", "values", "with", "table"]);
const HIDDEN_TEXT = "<insufficient privilege>";

const args = z
  .object({
    pid: z.number().int().min(1).max(2_147_483_647).optional().describe("the backend pid of a target database session (from an issue's evidence or session_activity); its current or last query is planned"),
    queryId: z.string().regex(/^-?\d{1,20}$/, "a pg_stat_statements queryid in decimal").optional().describe("a pg_stat_statements queryid as decimal text (from an issue's evidence); its normalised statement is planned generically"),
  })
  .strict()
  .refine((a) => (a.pid === undefined) !== (a.queryId === undefined), { message: "give exactly one of pid and queryId" });

type Args = z.output<typeof args>;

export interface PlanNode {
  /** 0 for the top node. */
  depth: number;
  nodeType: string;
  /** ModifyTable's "Insert"/"Update"/..., a join's type, when the plan has one. */
  operation: string | null;
  relation: string | null;
  index: string | null;
  /** The planner's estimates: rows, and cost in its arbitrary units. */
  estimatedRows: number;
  startupCost: number;
  totalCost: number;
}

interface PlanJson {
  "Node Type"?: string;
  Operation?: string;
  "Join Type"?: string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Plan Rows"?: number;
  "Startup Cost"?: number;
  "Total Cost"?: number;
  Plans?: PlanJson[];
}

/** The plan's nodes depth first, at most `max`, and how many there were. */
export function planNodes(root: PlanJson, max = PLAN_NODES_MAX): { nodes: PlanNode[]; totalNodes: number } {
  const nodes: PlanNode[] = [];
  let totalNodes = 0;
  const walk = (node: PlanJson, depth: number) => {
    totalNodes++;
    if (nodes.length < max) {
      nodes.push({
        depth,
        nodeType: node["Node Type"] ?? "?",
        operation: node.Operation ?? node["Join Type"] ?? null,
        relation: node["Relation Name"] ?? null,
        index: node["Index Name"] ?? null,
        estimatedRows: node["Plan Rows"] ?? 0,
        startupCost: node["Startup Cost"] ?? 0,
        totalCost: node["Total Cost"] ?? 0,
      });
    }
    for (const child of node.Plans ?? []) walk(child, depth + 1);
  };
  walk(root, 0);
  return { nodes, totalNodes };
}

/** The schema pg_stat_statements is installed in, or null. */
async function statementsView(client: pg.ClientBase): Promise<string | null> {
  const { rows } = await client.query<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'`,
  );
  return rows[0] ? sqlQualified(rows[0].schema, "pg_stat_statements") : null;
}

interface Statistics {
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
}

/** The statement's pg_stat_statements figures in this database, summed over roles; its text too. */
async function statementFigures(client: pg.ClientBase, view: string, queryId: string): Promise<{ query: string; statistics: Statistics } | null> {
  const { rows } = await client.query<{ query: string; calls: string; total_ms: number; rows: string }>(
    `SELECT min(s.query) AS query, sum(s.calls)::text AS calls, sum(s.total_exec_time)::float8 AS total_ms, sum(s.rows)::text AS rows
       FROM ${view} s JOIN pg_database d ON d.oid = s.dbid
      WHERE d.datname = current_database() AND s.queryid = $1::bigint
     HAVING count(*) > 0`,
    [queryId],
  );
  const row = rows[0];
  if (!row) return null;
  const calls = Number(row.calls);
  return {
    query: row.query,
    statistics: { calls, totalMs: Math.round(row.total_ms), meanMs: calls > 0 ? Math.round((row.total_ms / calls) * 10) / 10 : 0, rows: Number(row.rows) },
  };
}

interface Subject {
  query: string;
  pid: number | null;
  state: string | null;
  queryId: string | null;
}

async function sessionQuery(client: pg.ClientBase, pid: number): Promise<Subject> {
  const { rows } = await client.query<{ same_db: boolean | null; own: boolean; backend_type: string | null; application_name: string | null; state: string | null; query: string | null; query_id: string | null }>(
    `SELECT a.datname = current_database() AS same_db, a.pid = pg_backend_pid() AS own, a.backend_type, a.application_name, a.state, a.query, a.query_id::text
       FROM pg_stat_activity a WHERE a.pid = $1`,
    [pid],
  );
  const row = rows[0];
  if (!row) throw new ToolRefusedError(`no session with pid ${pid} in the target database server`);
  if (row.own || OWN_APPLICATIONS.includes(row.application_name ?? "")) throw new ToolRefusedError(`pid ${pid} is one of Troubleshooter's own sessions`);
  if (row.backend_type !== null && row.backend_type !== "client backend") throw new ToolRefusedError(`pid ${pid} is a ${row.backend_type}, not a client session`);
  if (row.same_db === false) throw new ToolRefusedError(`pid ${pid} is connected to another database than the target's`);
  if (row.query === null || row.query === HIDDEN_TEXT) throw new Error(`this role may not read the query of pid ${pid} (another role's session; pg_read_all_stats shows it)`);
  if (row.query.trim() === "") throw new ToolRefusedError(`pid ${pid} has not run a query yet`);
  return { query: row.query, pid, state: row.state, queryId: row.query_id };
}

/** Refuses texts that are not one plannable statement; returns the text without a final ";". */
function plannableText(query: string): { text: string; hasParameters: boolean } {
  const shape = sqlTextShape(query);
  if (shape.unterminated) throw new ToolRefusedError("the query text is cut short (the server keeps only its first track_activity_query_size bytes): it cannot be planned");
  if (shape.statements > 1) throw new ToolRefusedError(`the text holds ${shape.statements} statements: only a single statement is planned`);
  if (shape.keyword === null || !PLANNABLE.has(shape.keyword)) {
    throw new ToolRefusedError(`${shape.keyword ? `"${shape.keyword.toUpperCase()}"` : "this text"} is not a statement EXPLAIN plans (only SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES, WITH, TABLE)`);
  }
  return { text: query.trim().replace(/;\s*$/, ""), hasParameters: shape.hasParameters };
}

/** The generic plan of `text` without running it: PREPARE over the extended protocol (one
 * command only, whatever the text holds), then EXPLAIN EXECUTE with plan_cache_mode forced to
 * generic and NULL for each parameter (a generic plan does not depend on their values). This is
 * what EXPLAIN (GENERIC_PLAN) shows, which the extended protocol cannot send with $n in it. */
async function explain(client: pg.ClientBase, text: string): Promise<{ plan: PlanJson; parameters: number }> {
  const name = `troubleshooter_plan_${randomBytes(6).toString("hex")}`;
  await client.query("SET LOCAL plan_cache_mode = force_generic_plan");
  try {
    await client.query({ text: `PREPARE ${name} AS ${text}`, queryMode: "extended" } as pg.QueryConfig);
  } catch (err) {
    if (/cannot insert multiple commands/.test((err as Error).message)) throw new ToolRefusedError("the text holds more than one statement: only a single statement is planned");
    throw err;
  }
  const { rows: prepared } = await client.query<{ n: number }>(`SELECT cardinality(parameter_types) AS n FROM pg_prepared_statements WHERE name = $1`, [name]);
  const parameters = prepared[0]?.n ?? 0;
  const nulls = parameters > 0 ? `(${Array.from({ length: parameters }, () => "NULL").join(", ")})` : "";
  const { rows } = await client.query<{ "QUERY PLAN": { Plan: PlanJson }[] }>(`EXPLAIN (FORMAT JSON) EXECUTE ${name}${nulls}`);
  // Prepared statements outlive ROLLBACK; after an error the pooled session is dropped instead.
  await client.query(`DEALLOCATE ${name}`);
  const plan = rows[0]?.["QUERY PLAN"]?.[0]?.Plan;
  if (!plan) throw new Error("EXPLAIN returned no plan");
  return { plan, parameters };
}

export const queryPlan: InvestigationTool<Args> = {
  name: "query_plan",
  description:
    "The estimated plan (EXPLAIN without ANALYZE: nothing is run) of a slow, long-running or blocked query of the target database, by its session's pid or its pg_stat_statements queryid (give exactly one): the query text, the plan's top nodes (node type, relation, index, estimated rows and cost) and the statement's pg_stat_statements figures (calls, totalMs, meanMs). Use it to see sequential scans on big tables or a missing index.",
  args,
  async run(a, ctx) {
    return readOnlyTransaction(ctx, async (client) => {
      const view = await statementsView(client);
      let subject: Subject;
      let statistics: Statistics | null = null;
      if (a.pid !== undefined) {
        subject = await sessionQuery(client, a.pid);
        if (view && subject.queryId && subject.queryId !== "0") statistics = (await statementFigures(client, view, subject.queryId))?.statistics ?? null;
      } else {
        const queryId = a.queryId as string;
        if (!view) throw new Error("pg_stat_statements is not installed in the target database: plan a query by its session's pid instead");
        const found = await statementFigures(client, view, queryId);
        if (!found) throw new ToolRefusedError(`no statement with queryid ${queryId} in the target database's pg_stat_statements`);
        if (found.query === HIDDEN_TEXT) throw new Error(`this role may not read the text of queryid ${queryId} (another role's statement; pg_read_all_stats shows it)`);
        subject = { query: found.query, pid: null, state: null, queryId };
        statistics = found.statistics;
      }
      const { text, hasParameters } = plannableText(subject.query);
      const { plan, parameters } = await explain(client, text);
      return {
        source: a.pid !== undefined ? "pid" : "queryid",
        pid: subject.pid,
        state: subject.state,
        queryId: subject.queryId && subject.queryId !== "0" ? subject.queryId : null,
        query: subject.query.length > QUERY_TEXT_MAX ? `${subject.query.slice(0, QUERY_TEXT_MAX)}…` : subject.query,
        genericPlan: hasParameters || parameters > 0,
        parameters,
        plan: { totalCost: plan["Total Cost"] ?? 0, estimatedRows: plan["Plan Rows"] ?? 0, ...planNodes(plan) },
        statistics,
      };
    });
  },
};
