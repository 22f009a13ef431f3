// Colours and words of the history charts. Colours are Paul Tol's colour-blind-safe "vibrant" and
// "bright" schemes: told apart with any colour vision, on light and dark cards; every chart also
// has a legend in words and its data as a table.
import type { Severity } from "../../../troubleshooting/report";

/** Severities from worst to mildest, each its own hue and lightness (high and medium apart). */
export const SEVERITY_PALETTE: Record<Severity, string> = {
  critical: "#CC3311",
  high: "#EE7733",
  medium: "#CCBB44",
  low: "#0077BB",
  info: "#BBBBBB",
};

/** One colour per series (target and scope) of the score chart, in turn. */
export const SERIES_PALETTE = ["#0077BB", "#EE7733", "#009988", "#EE3377", "#33BBEE", "#CC3311", "#BBBBBB"] as const;

/** Working time and time spent waiting for a person. */
export const TIME_PALETTE = { working: "#0077BB", waiting: "#EE7733" } as const;

const PHASE_LABELS: Record<string, string> = {
  initialization: "Initialization",
  system_assessment: "System assessment",
  diagnostics: "Diagnostics",
  issue_prioritization: "Prioritization",
  resolution: "Resolution",
  verification: "Verification",
  final_report: "Final report",
};

/** "System assessment" for system_assessment; an unknown name with its underscores as spaces. */
export const phaseLabel = (phase: string) => PHASE_LABELS[phase] ?? phase.replaceAll("_", " ");

/** "Critical" for critical. */
export const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
