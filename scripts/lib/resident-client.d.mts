// Types of resident-client.mjs (the thin client of `troubleshoot serve`, plain JavaScript).

/** Hands the run to the resident server and streams its output; the exit code, or null: run one-shot (nothing printed). */
export function runResident(argv: string[], currentBuild: () => Promise<string | null>): Promise<number | null>;
