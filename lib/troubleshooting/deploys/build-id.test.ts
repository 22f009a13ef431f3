// The build id as the target serves it: read from the real platform twin (a `next build` App
// Router app; its id is in .next/BUILD_ID), and from the Pages Router's and older pages' shapes.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { siteTarget } from "../../../fixtures/test/site-bots";
import { twinPerTest } from "../../../fixtures/test/twin-harness";
import { assessBaseUrl } from "../workflow/nodes/assess";
import { isBuildId, parseBuildId, shortBuildId } from "./build-id";

const twins = twinPerTest();
const twinBuildId = async () => (await readFile(path.resolve(import.meta.dirname, "../../../fixtures/platform/.next/BUILD_ID"), "utf8")).trim();

describe("the build id a target serves", () => {
  it("is read from the platform twin's real pages, as the assessment reads it", async () => {
    const twin = await twins.start();
    const expected = await twinBuildId();
    for (const page of ["/", "/pricing", "/login"]) {
      const html = await (await fetch(`${twin.url}${page}`)).text();
      expect(parseBuildId(html), page).toBe(expected);
    }
    // The assessment reads the base URL's page only until the id shows.
    expect(await assessBaseUrl({ target: siteTarget(twin.url) })).toMatchObject({ reachable: true, status: 200, nextBuildId: expected });
  });

  it("reads the Pages Router's __NEXT_DATA__ and the build manifest's path", () => {
    expect(parseBuildId('<script id="__NEXT_DATA__" type="application/json">{"props":{},"page":"/","buildId":"Xy_9-abcDEF123","isFallback":false}</script>')).toBe("Xy_9-abcDEF123");
    expect(parseBuildId('<script src="/_next/static/v1.4.2/_ssgManifest.js" defer></script>')).toBe("v1.4.2");
    expect(parseBuildId('self.__next_f.push([1,"0:{\\"P\\":null,\\"b\\":\\"a1b2c3d4e5\\",\\"p\\":\\"\\"}"])')).toBe("a1b2c3d4e5");
  });

  it("takes nothing that is not a build id, and says none rather than guessing", () => {
    expect(parseBuildId("<html><body>Plain page</body></html>")).toBeNull();
    expect(parseBuildId('{"buildId":"development"}')).toBeNull(); // next dev
    expect(parseBuildId('{"buildId":"<script>alert(1)</script>"}')).toBeNull();
    expect(parseBuildId(`{"buildId":"${"a".repeat(65)}"}`)).toBeNull();
    expect(parseBuildId('{"a":{"b":"x"}}')).toBeNull(); // a one-letter key of a short value is no RSC root
    expect(isBuildId("0123456789abcdef0123456789abcdef01234567")).toBe(true); // a git SHA from generateBuildId
    expect(isBuildId("has space")).toBe(false);
    expect(shortBuildId("e94fZ70_JgXQy7CUQjtvo")).toBe("e94fZ70_");
    expect(shortBuildId("v1.4.2")).toBe("v1.4.2");
  });
});
