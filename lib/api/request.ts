// Reading request input through a schema: malformed JSON is a 400, invalid fields a 422.
import type { z } from "zod";
import { ApiError } from "./errors";

export async function readJson<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  const text = await req.text();
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
