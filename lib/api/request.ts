// Reading request input through a schema: malformed JSON is a 400, invalid fields a 422, a body
// over MAX_JSON_BYTES a 413.
import type { z } from "zod";
import { ApiError } from "./errors";

/** Every JSON body the API takes is a few hundred bytes; 64 KiB leaves room and bounds memory. */
export const MAX_JSON_BYTES = 64 * 1024;

const tooLarge = () => new ApiError(413, "payload_too_large", `The request body is larger than ${MAX_JSON_BYTES} bytes.`);

/**
 * The body as text, refused past `limit` bytes: at once when Content-Length says so, and while
 * reading otherwise, since a chunked body has no Content-Length and a client may send one that
 * lies. Reading stops (and the stream is cancelled) at the first byte over the limit.
 */
async function readBodyText(req: Request, limit = MAX_JSON_BYTES): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  const text = await readBodyText(req);
  let body: unknown = {};
  if (text.trim()) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError(400, "invalid_json", "The request body is not valid JSON.");
    }
  }
  return schema.parse(body);
}

export function readQuery<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  return schema.parse(Object.fromEntries(new URL(req.url).searchParams));
}
