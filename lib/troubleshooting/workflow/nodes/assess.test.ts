import { afterAll, describe, expect, it } from "vitest";
import { makeCertificates } from "../../../../fixtures/test/certificates";
import { type FaultSite, startFaultSite } from "../../../../fixtures/test/fault-site";
import { siteTarget } from "../../../../fixtures/test/site-bots";
import { assessBaseUrl } from "./assess";

let site: FaultSite | undefined;
afterAll(() => site?.close());

describe("system assessment", () => {
  it("reaches an https target behind a private CA when the run trusts that CA, and says why not otherwise", async () => {
    const certs = await makeCertificates();
    site = await startFaultSite({ tls: certs.valid, faults: {}, host: "localhost" });
    expect(await assessBaseUrl({ target: siteTarget(site.url, { caCertificates: certs.ca.cert }) })).toMatchObject({ reachable: true, status: 200 });
    const untrusted = await assessBaseUrl({ target: siteTarget(site.url) });
    expect(untrusted.reachable).toBe(false);
    expect(untrusted).toEqual({ reachable: false, error: "TLS error (UNABLE_TO_VERIFY_LEAF_SIGNATURE)" });
  });
});
