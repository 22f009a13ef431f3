// What a failing resource means to the site, whichever check saw it fail (web.failed_assets
// requests what the server HTML names; web.failed_requests reads what the browser loaded): the
// site's own build chunks and code, its images, a hosting platform's resources, third parties.
import type { Severity } from "../../report";
import type { PageSnapshot } from "../../site/crawl";

/** Resources that exist only on one hosting platform: Vercel serves Web Analytics and Speed
 * Insights under /_vercel/ on its own deployments; anywhere else the path is a 404 by design. */
const PLATFORM_PATH = /^\/_vercel\/(insights|speed-insights)\//;
/** Third parties whose failure costs data, not function: analytics, tag managers, beacons, pixels. */
const ANALYTICS = /(^|[./-])(analytics|beacon|collect|insights|gtag|gtm|googletagmanager|google-analytics|segment|mixpanel|amplitude|hotjar|plausible|posthog|clarity|doubleclick|pixel|tracking|tracker|telemetry|stats|metrics)([./-]|$)/i;

const isPlatformResource = (url: string) => URL.canParse(url) && PLATFORM_PATH.test(new URL(url).pathname);
export const isChunk = (url: string) => URL.canParse(url) && new URL(url).pathname.startsWith("/_next/static/");
const isAnalytics = (url: string) => URL.canParse(url) && (ANALYTICS.test(new URL(url).host) || ANALYTICS.test(new URL(url).pathname));

/** The site answers from Vercel (its edge sets `x-vercel-id`, and `server: Vercel`). */
export const onVercel = (pages: PageSnapshot[]) => pages.some((p) => p.headers["x-vercel-id"] !== undefined || /vercel/i.test(p.headers.server ?? ""));

export type Role = "chunk" | "own-code" | "own" | "platform" | "analytics" | "third-party-code" | "third-party";

/** `kind`: script or stylesheet (code the page runs), or anything else. */
export function roleOf(url: string, code: boolean, own: boolean): Role {
  if (own && isPlatformResource(url)) return "platform";
  if (own) return code ? (isChunk(url) ? "chunk" : "own-code") : "own";
  if (isAnalytics(url)) return "analytics";
  return code ? "third-party-code" : "third-party";
}

/** The severity of a failure by role; `thirdPartyCode` is the check's convention for a failing
 * third-party script or stylesheet (web.failed_assets high, web.failed_requests medium). */
export function failureSeverity(role: Role, vercel: boolean, thirdPartyCode: Severity): Severity {
  switch (role) {
    case "chunk":
      return "critical";
    case "own-code":
      return "high";
    case "own":
      return "medium";
    case "platform":
      return vercel ? "low" : "info";
    case "analytics":
    case "third-party":
      return "low";
    case "third-party-code":
      return thirdPartyCode;
  }
}

/** What a platform resource's failure means, for descriptions and advice. */
export function platformFailure(url: string, failure: string, vercel: boolean, where: string): { description: string; recommendation: string } {
  const product = new URL(url).pathname.startsWith("/_vercel/speed-insights/") ? "Speed Insights" : "Web Analytics";
  return vercel
    ? {
        description: `The pages load Vercel's ${product} script${where}, and it fails (${failure}): the feature is not enabled for this project. The pages work without it.`,
        recommendation: `Enable ${product} in the Vercel project settings and redeploy, or remove the <Analytics />/<SpeedInsights /> component.`,
      }
    : {
        description: `The pages load Vercel's ${product} script${where}, which exists only on Vercel deployments; this site is not served by Vercel (no x-vercel-id header), so it answers ${failure} by design. The pages work without it.`,
        recommendation: "Nothing is broken. To stop the request, render <Analytics />/<SpeedInsights /> only on Vercel deployments (e.g. when process.env.VERCEL is set), or remove them.",
      };
}

/** What a third party's failure means. */
export function thirdPartyFailure(url: string, type: string, failure: string, role: Role, where: string): { description: string; recommendation: string } {
  const host = new URL(url).host;
  if (role === "third-party-code") {
    return {
      description: `A third-party ${type} from ${host} fails (${failure})${where}: whatever it provides (a widget, payments, a map) does not work there.`,
      recommendation: `Check whether ${host} is down or the URL changed (load it directly); pin or self-host what the page cannot do without.`,
    };
  }
  return {
    description: `A third-party ${type} request to ${host} fails (${failure})${where}. ${role === "analytics" ? "Analytics, tag managers and beacons" : "Third-party images, fonts and data"} do not decide whether the page works.`,
    recommendation: "If the data matters, check the third party's status or the URL; otherwise remove the tag. Nothing on the site itself is broken.",
  };
}
