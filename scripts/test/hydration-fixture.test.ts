// The fixture's page carries the server render and its script is a real hydrating bundle; that the
// browser reports a hydration error was checked by hand in Chromium (too slow for a unit test).
import { describe, expect, it } from "vitest";
import { hydrationFixture } from "./hydration-fixture";

describe("hydrationFixture", () => {
  it("renders the server text and a hydrating bundle", async () => {
    const { html, script } = await hydrationFixture("/app.js");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toMatch(/<div id="root"><main>.*Rendered on server.*<\/main><\/div>/);
    expect(html).toContain('<script src="/app.js" defer></script>');
    expect(script.length).toBeGreaterThan(10_000); // React itself is in the bundle
    expect(script).toContain("Rendered on ");
    expect(() => new Function(script)).not.toThrow(); // parses as plain browser JS
  });

  it("renders identical text on both sides without mismatch", async () => {
    const { html, script } = await hydrationFixture("/app.js", { mismatch: false });
    expect(html).toContain("Rendered on both sides");
    expect(html).not.toContain("Rendered on server");
    expect(script).not.toBe((await hydrationFixture("/app.js")).script);
  });

  it("reuses the built bundle", async () => {
    const first = await hydrationFixture("/a.js");
    const second = await hydrationFixture("/b.js");
    expect(second.script).toBe(first.script);
  });
});
