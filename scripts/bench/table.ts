// Printing the bench's figures, and recording every one of them into one results object that
// bench.ts writes to bench/results.json (so the printed tables and the file never disagree).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export const results: { startedAt: string; runs?: number; sections: Record<string, Record<string, unknown>>; targets: TargetResult[] } = {
  startedAt: new Date().toISOString(),
  sections: {},
  targets: [],
};

/** Stores a figure under its section (e.g. "site") and name. */
export function record(section: string, name: string, value: unknown): void {
  (results.sections[section] ??= {})[name] = value;
}

const columnMedian = (rows: Record<string, number>[], column: string) => median(rows.flatMap((r) => (r[column] === undefined ? [] : [r[column]])));

/** Prints one table (a row per sample and a median row) and records it as section.name. */
export function table(section: string, name: string, title: string, columns: string[], rows: Record<string, number>[]): Record<string, number> {
  const fmt = (v: number | undefined) => (v === undefined ? "-" : String(Math.round(v))).padStart(10);
  console.log(`\n${title}`);
  console.log(["sample".padEnd(8), ...columns.map((c) => c.slice(0, 10).padStart(10))].join(" "));
  rows.forEach((row, i) => console.log([`#${i + 1}`.padEnd(8), ...columns.map((c) => fmt(row[c]))].join(" ")));
  const medians = Object.fromEntries(columns.map((c) => [c, columnMedian(rows, c)]));
  console.log(["median".padEnd(8), ...columns.map((c) => fmt(medians[c]))].join(" "));
  record(section, name, { title, columns, samples: rows, median: medians });
  return medians;
}

/** Prints and records a table of text cells (one object per row). */
export function textTable(section: string, name: string, title: string, rows: Record<string, string>[]): void {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  console.log(`\n${title}`);
  console.log(line(columns));
  for (const row of rows) console.log(line(columns.map((c) => row[c] ?? "")));
  record(section, name, { title, rows });
}

export interface TargetResult {
  name: string;
  value: number;
  goal: string;
  met: boolean;
  unit: string;
}

/** Prints a figure next to the target it is held to, and records both. */
export function target(name: string, value: number, unit: string, goal: { below?: number; atLeast?: number; equals?: number }): void {
  const [text, met] =
    goal.below !== undefined ? [`< ${goal.below} ${unit}`, value < goal.below]
    : goal.atLeast !== undefined ? [`>= ${goal.atLeast} ${unit}`, value >= goal.atLeast]
    : [`= ${goal.equals} ${unit}`, value === goal.equals];
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(1);
  console.log(`target  ${name}: ${shown} ${unit} (target ${text}) ${met ? "met" : "NOT MET"}`);
  results.targets.push({ name, value, goal: text, met, unit });
}

export async function writeResults(file = path.resolve("bench/results.json")): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
