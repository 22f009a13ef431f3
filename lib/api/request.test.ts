import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toErrorResponse } from "./errors";
import { MAX_JSON_BYTES, readJson } from "./request";

const schema = z.object({ note: z.string() });
const url = "http://localhost/api/admin/bots/runs";

/** A chunked body (no Content-Length) of `total` bytes, in 1 KiB chunks; counts chunks pulled. */
function chunkedBody(total: number) {
  const pulled = { chunks: 0 };
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(1024, total - sent);
      sent += size;
      pulled.chunks += 1;
      controller.enqueue(new TextEncoder().encode(sent === size ? `{"note":"${"x".repeat(size - 10)}` : "x".repeat(size)));
    },
  });
  return { stream, pulled };
}

async function statusOf(req: Request) {
  try {
    await readJson(req, schema);
    return { status: 200, body: null };
  } catch (err) {
    const res = toErrorResponse(err);
    return { status: res.status, body: await res.json() };
  }
}

describe("readJson's body limit", () => {
  it("reads a body up to the limit", async () => {
    const body = JSON.stringify({ note: "y".repeat(MAX_JSON_BYTES - 20) });
    expect(body.length).toBeLessThanOrEqual(MAX_JSON_BYTES);
    expect(await readJson(new Request(url, { method: "POST", body }), schema)).toEqual({ note: "y".repeat(MAX_JSON_BYTES - 20) });
  });

  it("refuses a declared Content-Length over 64 KiB with 413 before reading", async () => {
    const { stream, pulled } = chunkedBody(MAX_JSON_BYTES + 1);
    const req = new Request(url, { method: "POST", body: stream, duplex: "half", headers: { "content-length": String(MAX_JSON_BYTES + 1) } } as RequestInit);
    expect(await statusOf(req)).toEqual({ status: 413, body: { error: { code: "payload_too_large", message: expect.any(String) } } });
    expect(pulled.chunks).toBeLessThanOrEqual(1); // at most what the stream buffers up front
  });

  it("refuses a chunked body without Content-Length once it passes 64 KiB, and stops reading", async () => {
    const { stream, pulled } = chunkedBody(10 * MAX_JSON_BYTES);
    const req = new Request(url, { method: "POST", body: stream, duplex: "half" } as RequestInit);
    expect(req.headers.get("content-length")).toBeNull();
    expect((await statusOf(req)).status).toBe(413);
    expect(pulled.chunks).toBeLessThan(70);
  });

  it("counts bytes, not characters, and does not trust a Content-Length that lies", async () => {
    const body = JSON.stringify({ note: "é".repeat(MAX_JSON_BYTES / 2) }); // 2 bytes each in UTF-8
    expect(body.length).toBeLessThan(MAX_JSON_BYTES);
    expect((await statusOf(new Request(url, { method: "POST", body, headers: { "content-length": "10" } }))).status).toBe(413);
  });
});
