// One error type for API routes and one mapper from any thrown value to a JSON Response.
// Unknown errors become a generic 500: their messages may carry secrets or internals.
import { ZodError } from "zod";
import { logger } from "../monitoring/logger";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function jsonError(status: number, code: string, message: string, details?: Record<string, unknown>): Response {
  return Response.json({ error: { code, message, ...details } }, { status });
}

export function toErrorResponse(err: unknown): Response {
  if (err instanceof ApiError) return jsonError(err.status, err.code, err.message, err.details);
  if (err instanceof ZodError) {
    const fields: Record<string, string[]> = {};
    for (const issue of err.issues) (fields[issue.path.join(".") || "_"] ??= []).push(issue.message);
    return jsonError(422, "validation_failed", "The request is not valid.", { fields });
  }
  logger().error({ component: "api", error: err instanceof Error ? err.name : typeof err }, "unhandled error");
  return jsonError(500, "internal_error", "Something went wrong on the server.");
}
