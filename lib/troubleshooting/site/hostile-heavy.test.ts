// Hostile targets against the browser's memory (issue 16, item 7): a page that pulls gigabytes
// (an image and a fetch its script starts; a credentialed answer the prober makes for the
// browser) is stopped past the browser's cap and reported as too heavy, and the run completes.
// The bodies are streamed lazily: what the server really sent is what the browser took.
import { beforeAll, describe, expect, it } from "vitest";
import { type TestCertificates, makeCertificates } from "../../../fixtures/test/certificates";
import { html, recordersPerFile, stream } from "../../../fixtures/test/hostile-site";
import { diagnose, found, notPassed } from "../../../fixtures/test/site-bots";
import { testTarget } from "../../../fixtures/test/engine";
import { PAGE_MAX_BYTES } from "./browser";

/** Each hostile body (the 2 GB). */
const HUGE = Number(process.env.HOSTILE_HUGE_BYTES ?? 2 * 1024 ** 3);
/** What the server may have sent past the cap: socket buffers, the chunks in flight. */
const SLACK = 48 * 1024 * 1024;

let certs: TestCertificates;
beforeAll(async () => {
  certs = await makeCertificates();
});
const start = recordersPerFile();

const heavyHome = `<h1>home</h1><a href="/about">about</a><img src="/missing.png" alt="">
<script>
  const img = new Image(); img.src = "/huge.png"; document.body.append(img);
  fetch("/huge.bin").then((r) => r.arrayBuffer()).catch(() => {});
</script>`;

describe("item 7: a page cannot take the browser's memory", () => {
  it("what a page's scripts pull is stopped past the cap, the page reported too heavy, and the other checks go on", async () => {
    const site = await start((path, _req, res) => {
      if (path === "/") return html(res, heavyHome);
      if (path === "/about") return html(res, "<h1>about</h1>");
      if (path === "/huge.png") return stream(res, HUGE, "image/png");
      if (path === "/huge.bin") return stream(res, HUGE);
      return false;
    });
    const result = await diagnose("web", testTarget(site.url, "postgresql://nobody:none@127.0.0.1:9/none", { browser: true, crawlLimit: 5 }));
    expect(result.degraded).toBeUndefined();
    expect(notPassed(result).filter((c) => c.includes(":error"))).toEqual([]);
    expect(found(result)).toEqual(expect.arrayContaining([["web.page_weight", "high", "/"], ["web.failed_assets", "medium", "/missing.png"]]));
    expect(site.streamedBytes("/huge.png") + site.streamedBytes("/huge.bin")).toBeLessThan(PAGE_MAX_BYTES + SLACK);
  });

  it("an answer that never ends is stopped at the time cap, as that image's own failure; the run completes", async () => {
    const open = new Set<string>();
    const site = await start((path, _req, res) => {
      if (path === "/") return html(res, `<h1>home</h1><a href="/about">about</a><img src="/trickle.png" alt="">`);
      if (path === "/about") return html(res, "<h1>about</h1>");
      if (path !== "/trickle.png") return false;
      // One byte every 100 ms, forever: the load event never comes.
      const id = `${path}#${open.size}-${Math.random()}`;
      open.add(id);
      res.writeHead(200, { "content-type": "image/png" });
      const timer = setInterval(() => res.write("a"), 100);
      res.on("close", () => {
        clearInterval(timer);
        open.delete(id);
      });
      return true;
    });
    const result = await diagnose("web", testTarget(site.url, "postgresql://nobody:none@127.0.0.1:9/none", { browser: true, crawlLimit: 5 }));
    expect(result.degraded).toBeUndefined();
    expect(site.seen.some((s) => s.chromium && s.path === "/trickle.png")).toBe(true);
    expect(notPassed(result).filter((c) => c.includes(":error"))).toEqual([]);
    expect(found(result)).toEqual(expect.arrayContaining([["web.failed_assets", "medium", "/trickle.png"]]));
    // Neither the prober nor the browser holds it any more.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(open.size).toBe(0);
  }, 60_000);

  it("a credentialed answer the prober makes for the browser is capped too, and the page reported", async () => {
    const site = await start(
      (path, _req, res) => {
        if (path === "/") return html(res, `<h1>home</h1><script>fetch("/api/huge").then((r) => r.arrayBuffer()).catch(() => {});</script>`);
        if (path === "/api/huge") return stream(res, HUGE, "application/json");
        return false;
      },
      { tls: certs.valid },
    );
    const target = testTarget(site.url, "postgresql://nobody:none@127.0.0.1:9/none", { browser: true, crawlLimit: 5, caCertificates: certs.ca.cert });
    const result = await diagnose("web", target, { credentials: { origin: site.url, bearer: "bearer-secret-42" } });
    expect(result.degraded).toBeUndefined();
    expect(site.seen.some((s) => s.chromium && s.path === "/api/huge" && s.headers.authorization === "Bearer bearer-secret-42")).toBe(true);
    expect(found(result)).toEqual(expect.arrayContaining([["web.page_weight", "high", "/"]]));
    expect(site.streamedBytes("/api/huge")).toBeLessThan(PAGE_MAX_BYTES + SLACK);
  });
});
