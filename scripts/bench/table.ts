export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Prints one table: a row per sample and a median row. */
export function table(title: string, columns: string[], rows: Record<string, number>[]) {
  const fmt = (v: number | undefined) => (v === undefined ? "-" : String(Math.round(v))).padStart(10);
  console.log(`\n${title}`);
  console.log(["sample".padEnd(8), ...columns.map((c) => c.slice(0, 10).padStart(10))].join(" "));
  rows.forEach((row, i) => console.log([`#${i + 1}`.padEnd(8), ...columns.map((c) => fmt(row[c]))].join(" ")));
  console.log(["median".padEnd(8), ...columns.map((c) => fmt(median(rows.flatMap((r) => (r[c] === undefined ? [] : [r[c]])))))].join(" "));
}
