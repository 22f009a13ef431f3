// Which Chromium the browser checks launch: CHROMIUM_PATH when set, else the one that
// @sparticuz/chromium ships inside the npm package (also what runs on Vercel functions).

/** Flags of the package worth keeping; it also sets ones that weaken security or break multi-page use. */
const KEEP = /^--(no-sandbox|no-zygote|disable-setuid-sandbox|use-gl=|use-angle=|in-process-gpu|enable-unsafe-swiftshader|font-render-hinting)/;
/** Without these Chromium keeps calling Google's hosts. */
const QUIET = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export interface ChromiumLaunch {
  executablePath: string;
  args: string[];
}

export async function chromiumLaunch(configuredPath?: string | null): Promise<ChromiumLaunch> {
  const { default: chromium } = await import("@sparticuz/chromium");
  const args = [...chromium.args.filter((a) => KEEP.test(a)), ...QUIET];
  return { executablePath: configuredPath || (await chromium.executablePath()), args };
}
