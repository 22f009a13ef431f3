// Hostile targets against the crawl and the web bot (issue 16, items 6 and 8a): one link that
// redirects to a refused address must not blind the other checks, and a link that redirects to
// another origin (a loopback port here: an internal service) is not crawled nor judged as the target.
import { describe, expect, it } from "vitest";
import { html, recordersPerFile, redirect } from "../../../fixtures/test/hostile-site";
import { diagnose, found, notPassed } from "../../../fixtures/test/site-bots";
import { testTarget } from "../../../fixtures/test/engine";

const start = recordersPerFile();
const target = (url: string, pages: string[] = []) => testTarget(url, "postgresql://nobody:none@127.0.0.1:9/none", { browser: true, crawlLimit: 10, pages });

describe("item 6: one refused URL does not blind the web bot", () => {
  const hostile = () =>
    start((path, _req, res) => {
      if (path === "/") return html(res, `<h1>home</h1><a href="/z">z</a> <a href="/about">about</a><img src="/missing.png" alt=""><img src="/img-z" alt="">`);
      if (path === "/about") return html(res, "<h1>about</h1>");
      if (path === "/z" || path === "/img-z") return redirect(res, "http://0.0.0.0:1/");
      return false;
    });

  for (const configured of [false, true]) {
    it(`a ${configured ? "configured page" : "link"} redirecting to 0.0.0.0 is left out; the other checks run, and a real 404 image is reported`, async () => {
      const site = await hostile();
      const result = await diagnose("web", target(site.url, configured ? ["/", "/z", "/about"] : []));
      expect(result.degraded).toBeUndefined();
      expect(notPassed(result).filter((c) => c.includes(":error"))).toEqual([]);
      // The refused image is at most its own finding.
      expect(found(result).filter(([code]) => code === "web.failed_assets")).toEqual([
        ["web.failed_assets", "medium", "/missing.png"],
        ["web.failed_assets", "medium", "/img-z"],
      ]);
    });
  }
});

describe("item 8a: the crawl does not follow a link to another origin", () => {
  it("a link that redirects to a loopback port is not fetched there, not browsed there, and not judged as the target", async () => {
    const internal = await start((path, _req, res) => {
      if (path === "/") return html(res, `<h1>internal admin</h1><a href="/secret">secret</a><img src="/gone.png" alt=""><script src="/app.js"></script>`);
      return false;
    });
    // A page the prober sees on the target, that sends the browser elsewhere by script.
    const elsewhere = await start((path, _req, res) => (path === "/" ? html(res, `<h1>elsewhere</h1><img src="/gone.png" alt=""><script>throw new Error("elsewhere")</script>`) : false));
    const site = await start((path, _req, res) => {
      if (path === "/") return html(res, `<h1>home</h1><a href="/out">out</a> <a href="/about">about</a> <a href="/leaves">leaves</a>`);
      if (path === "/about") return html(res, "<h1>about</h1>");
      if (path === "/leaves") return html(res, `<h1>leaves</h1><script>location.replace("http://127.0.0.1:${elsewhere.port}/")</script>`);
      if (path === "/out") return redirect(res, `http://127.0.0.1:${internal.port}/`);
      return false;
    });
    const result = await diagnose("web", target(site.url));
    expect(result.degraded).toBeUndefined();
    expect(site.seen.some((s) => s.path === "/out")).toBe(true);
    expect(internal.seen.map((s) => `${s.chromium ? "browser" : "prober"} ${s.path}`)).toEqual([]);
    expect(result.findings.filter((f) => f.draft.subject.includes(`:${internal.port}`) || f.draft.subject.includes(`:${elsewhere.port}`))).toEqual([]);
    expect(notPassed(result).filter((c) => c.includes(":error"))).toEqual([]);
    // The redirect away is said, as that.
    const coverage = result.checks.find((c) => c.code === "web.page_coverage");
    expect(JSON.stringify(coverage)).toContain("1 linked page redirects to another origin");
    // The page the browser was sent away from is not judged by what it found there.
    expect(result.findings.filter((f) => JSON.stringify(f.draft).includes("elsewhere"))).toEqual([]);
  });
});
