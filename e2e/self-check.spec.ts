import { expect, test } from "@playwright/test";
import { ADDON_ENDPOINTS } from "../lib/troubleshooting/site/endpoints";
import { diagnose, found, siteTarget } from "../fixtures/test/site-bots";

// A healthy target gives no issue: the add-on itself, as built and served, with its own
// endpoints and Auth.js's, its pages crawled and loaded in Chromium.
test("the web and network bots find nothing wrong with the add-on itself", async ({ baseURL }) => {
  const base = baseURL as string;
  const target = siteTarget(base, { endpoints: ADDON_ENDPOINTS.map((p) => `${base}${p}`), browser: true });
  const [web, network] = await Promise.all([diagnose("web", target), diagnose("network", target)]);
  expect(found(web)).toEqual([]);
  expect(found(network)).toEqual([]);
  const ran = [...web.checks, ...network.checks];
  expect(ran.filter((c) => c.status === "error")).toEqual([]);
  for (const code of ["web.console_errors", "web.hydration_error", "web.missing_security_headers", "net.unprotected_admin_api", "net.auth_broken"]) {
    expect(ran.find((c) => c.code === code)?.status, code).toBe("passed");
  }
});
