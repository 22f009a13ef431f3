// Chromium from npm (@sparticuz/chromium ships it compressed): no browser download needed.
import chromium from "@sparticuz/chromium";

/** Flags of the package we keep; it also sets ones that weaken security or break multi-page use. */
const KEEP = /^--(no-sandbox|no-zygote|disable-setuid-sandbox|use-gl=|use-angle=|in-process-gpu|enable-unsafe-swiftshader|font-render-hinting)/;
/** Without these Chromium keeps calling Google's hosts, which this network refuses. */
const QUIET = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export async function chromiumLaunch(): Promise<{ executablePath: string; args: string[] }> {
  return { executablePath: await chromium.executablePath(), args: [...chromium.args.filter((a) => KEEP.test(a)), ...QUIET] };
}
