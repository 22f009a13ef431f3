// Hostile targets against the browser (issue 16, items 1-3 and 8b): a target page that navigates,
// redirects to other origins and to refused addresses must not carry the target's credentials
// anywhere else, never over plain http, and never make Chromium reach what the address policy
// refuses, on any request or redirect. The sinks record every request they get.
import { beforeAll, describe, expect, it } from "vitest";
import { type TestCertificates, makeCertificates } from "../../../fixtures/test/certificates";
import { testTarget } from "../../../fixtures/test/engine";
import { type Seen, html, recordersPerFile, redirect } from "../../../fixtures/test/hostile-site";
import type { Target } from "../catalogue";
import { createSiteProbe } from "./site-probe";

const SECRET = { cookie: "twin_session=cookie-secret-42", bearer: "bearer-secret-42" };

let certs: TestCertificates;
beforeAll(async () => {
  certs = await makeCertificates();
});
const start = recordersPerFile();

async function browse(baseUrl: string, overrides: Partial<Target> = {}) {
  const target = testTarget(baseUrl, "postgresql://nobody:none@127.0.0.1:9/none", { browser: true, caCertificates: certs.ca.cert, crawlLimit: 5, ...overrides });
  const controller = new AbortController();
  try {
    const probe = createSiteProbe(target, controller.signal, { credentials: { origin: "https://configured.invalid", ...SECRET } });
    const report = await probe.browser();
    return { report, pages: await probe.pages() };
  } finally {
    controller.abort();
  }
}

const leaked = (s: Seen) => (s.headers.authorization ?? "").includes(SECRET.bearer) || (s.headers.cookie ?? "").includes("cookie-secret-42");

describe("item 1: the bearer token does not follow a redirect to another origin", () => {
  it("not on a navigation, an image, a fetch or a form post that the target redirects elsewhere", async () => {
    const sink = await start((_p, _req, res) => html(res, "<p>sink</p>"), { tls: certs.valid });
    const sinkHttps = await start((_p, _req, res) => html(res, "<h1>elsewhere</h1>"), { tls: certs.valid, host: "127.0.0.1" });
    const site = await start(
      (path, _req, res) => {
        if (path === "/")
          return html(
            res,
            `<h1>home</h1><img src="/img-r" alt=""><iframe src="/frame-r"></iframe>
            <script>fetch("/api-r", { credentials: "include" }).catch(() => {}); fetch("/post-r", { method: "POST", body: "x" }).catch(() => {});
            setTimeout(() => { location.href = "/r"; }, 300)</script>`,
          );
        if (path === "/r") return redirect(res, `${sinkHttps.url}/landed`);
        if (path === "/img-r") return redirect(res, `${sink.url}/img`);
        if (path === "/frame-r") return redirect(res, `${sinkHttps.url}/frame`, 301);
        if (path === "/api-r") return redirect(res, `${sink.url}/api`, 307);
        if (path === "/post-r") return redirect(res, `${sinkHttps.url}/post`, 308);
        return false;
      },
      { tls: certs.valid },
    );
    const { report } = await browse(site.url);
    expect(report.available).toBe(true);
    // The credentials do reach the target's own origin (the protection is not "send nothing").
    expect(site.seen.find((s) => s.chromium && s.path === "/")?.headers.authorization).toBe(`Bearer ${SECRET.bearer}`);
    for (const path of ["/img-r", "/frame-r", "/api-r", "/post-r"]) expect(site.seen.some((s) => s.chromium && s.path === path), path).toBe(true);
    // The redirects were followed by the browser, and nothing secret went with them.
    expect(sink.seen.map((s) => s.path).sort()).toEqual(["/api", "/img"]);
    expect(sinkHttps.seen.map((s) => s.path)).toEqual(expect.arrayContaining(["/frame", "/post", "/landed"]));
    expect([...sink.seen, ...sinkHttps.seen].filter(leaked)).toEqual([]);
  });
});

describe("item 2: credentials never travel over plain http", () => {
  it("not to an http base URL, nor to http on the same host from an https page", async () => {
    const plain = await start((path, _req, res) => (path === "/" ? html(res, `<h1>plain</h1><script>fetch("/api/me").catch(() => {})</script>`) : false));
    await browse(plain.url);
    expect(plain.seen.filter((s) => s.chromium).length).toBeGreaterThan(0);
    expect(plain.seen.filter(leaked)).toEqual([]);

    const plainSameHost = await start(() => false);
    // From an https page, http subresources are mixed content (blocked or upgraded): a navigation is not.
    const secure = await start((path, _req, res) => (path === "/" ? html(res, `<h1>secure</h1><script>setTimeout(() => { location.href = "${plainSameHost.url}/plain"; }, 200)</script>`) : false), { tls: certs.valid });
    await browse(secure.url);
    expect(plainSameHost.seen.some((s) => s.chromium)).toBe(true);
    expect(plainSameHost.seen.filter(leaked)).toEqual([]);
  });
});

describe("item 3: the browser obeys the address policy on every request and redirect", () => {
  for (const secure of [false, true]) {
    it(`refuses 0.0.0.0 by image, fetch, frame, WebSocket and redirect (${secure ? "https with credentials" : "plain http"})`, async () => {
      // Over https when the page is (an http subresource of an https page is mixed content).
      const refused = await start(() => false, { listen: "0.0.0.0", ...(secure ? { tls: certs.valid } : {}) });
      const zero = `${secure ? "https" : "http"}://0.0.0.0:${refused.port}`;
      const site = await start(
        (path, _req, res) => {
          if (path === "/")
            return html(
              res,
              `<h1>home</h1><img src="${zero}/img.gif" alt=""><img src="/redirect-img" alt=""><iframe src="${zero}/frame"></iframe>
              <script>fetch("${zero}/fetch").catch(() => {}); fetch("/redirect-fetch").catch(() => {});
              try { new WebSocket("${secure ? "wss" : "ws"}://0.0.0.0:${refused.port}/ws"); } catch {}</script>`,
            );
          if (path === "/redirect-img") return redirect(res, `${zero}/via-redirect.gif`);
          if (path === "/redirect-fetch") return redirect(res, `${zero}/via-redirect`, 307);
          return false;
        },
        secure ? { tls: certs.valid } : {},
      );
      const { report } = await browse(site.url);
      expect(report.pages.map((p) => new URL(p.url).pathname)).toEqual(["/"]);
      expect(site.seen.some((s) => s.chromium && s.path === "/redirect-img")).toBe(true);
      expect(refused.seen).toEqual([]);
      // What the request router refuses is reported with its path; redirects and WebSockets reach
      // the proxy, which sees only host and port of an https tunnel.
      expect(report.refused.map((r) => new URL(r.url).pathname)).toEqual(expect.arrayContaining(["/img.gif", "/fetch", "/frame", ...(secure ? [] : ["/via-redirect.gif", "/via-redirect"])]));
    });
  }
});

describe("the proxy lets through what the policy allows", () => {
  it("a WebSocket and a redirect to an allowed loopback host still reach it", async () => {
    const other = await start((_p, _req, res) => html(res, "<p>other</p>"));
    const site = await start((path, _req, res) => {
      if (path === "/") return html(res, `<h1>home</h1><img src="/moved.gif" alt=""><script>try { new WebSocket("ws://127.0.0.1:${other.port}/live"); } catch {}</script>`);
      if (path === "/moved.gif") return redirect(res, `http://127.0.0.1:${other.port}/moved.gif`);
      return false;
    });
    await browse(site.url);
    expect(other.seen.filter((s) => s.chromium).map((s) => `${s.method} ${s.path}`).sort()).toEqual(["GET /moved.gif", "UPGRADE /live"]);
  });
});

describe("item 8b: the configured CA reaches the browser's verified requests", () => {
  it("credentials ride on a target whose certificate only the configured CA vouches for", async () => {
    const site = await start((path, _req, res) => (path === "/" ? html(res, "<h1>private CA</h1>") : false), { tls: certs.valid });
    await browse(site.url);
    expect(site.seen.find((s) => s.chromium && s.path === "/")?.headers.authorization).toBe(`Bearer ${SECRET.bearer}`);
  });

  it("a certificate the CA does not vouch for gets no credentials, from the prober or the browser", async () => {
    const site = await start((path, _req, res) => (path === "/" ? html(res, `<h1>self-signed</h1><script>fetch("/api/me").catch(() => {})</script>`) : false), { tls: certs.selfSigned });
    await browse(site.url);
    expect(site.seen.filter(leaked)).toEqual([]);
  });
});
