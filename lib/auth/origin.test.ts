import { describe, expect, it } from "vitest";
import { isCrossSiteWrite } from "./origin";

const OWN = ["http://localhost:3000", "https://admin.example.com"];
const request = (method: string, headers: Record<string, string> = {}) => new Request("http://localhost:3000/api/admin/bots/runs", { method, headers });

describe("the Origin rule for state-changing requests", () => {
  it("refuses a write from another origin, a null origin, or a cross-site fetch", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      expect(isCrossSiteWrite(request(method, { origin: "https://evil.example" }), OWN), method).toBe(true);
    }
    expect(isCrossSiteWrite(request("POST", { origin: "null" }), OWN)).toBe(true);
    expect(isCrossSiteWrite(request("POST", { origin: "not a url" }), OWN)).toBe(true);
    // Same host, another port or scheme, is another origin.
    expect(isCrossSiteWrite(request("POST", { origin: "http://localhost:3001" }), OWN)).toBe(true);
    expect(isCrossSiteWrite(request("POST", { origin: "http://admin.example.com" }), OWN)).toBe(true);
    // A browser that says cross-site is believed even where Origin looks right.
    expect(isCrossSiteWrite(request("POST", { origin: "http://localhost:3000", "sec-fetch-site": "cross-site" }), OWN)).toBe(true);
    expect(isCrossSiteWrite(request("POST", { "sec-fetch-site": "Cross-Site" }), OWN)).toBe(true);
  });

  it("lets through our own origins, requests without Origin, and reads", () => {
    expect(isCrossSiteWrite(request("POST", { origin: "http://localhost:3000", "sec-fetch-site": "same-origin" }), OWN)).toBe(false);
    expect(isCrossSiteWrite(request("POST", { origin: "https://admin.example.com" }), OWN)).toBe(false);
    expect(isCrossSiteWrite(request("POST"), OWN)).toBe(false); // curl, cron, server-to-server
    expect(isCrossSiteWrite(request("POST", { "sec-fetch-site": "none" }), OWN)).toBe(false);
    expect(isCrossSiteWrite(request("GET", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }), OWN)).toBe(false);
    expect(isCrossSiteWrite(request("HEAD", { origin: "https://evil.example" }), OWN)).toBe(false);
  });
});
