// The alerts and live database pages' writes: JSON to the add-on's API, the server's message back
// (from its { error: { message, fields } } shape) when it refuses.

export type JsonAnswer<T> = { ok: true; body: T } | { ok: false; status: number; message: string };

export async function sendJson<T>(url: string, method: "POST" | "PATCH" | "DELETE", body?: unknown): Promise<JsonAnswer<T>> {
  try {
    const res = await fetch(url, { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    const parsed = res.status === 204 ? null : ((await res.json().catch(() => null)) as unknown);
    if (res.ok) return { ok: true, body: parsed as T };
    const error = (parsed as { error?: { message?: unknown; fields?: Record<string, string[]> } } | null)?.error;
    const fields = error?.fields ? Object.entries(error.fields).map(([field, problems]) => `${field}: ${problems.join(", ")}`).join("; ") : "";
    const message = typeof error?.message === "string" ? error.message : `The server answered ${res.status}.`;
    return { ok: false, status: res.status, message: fields ? `${message} ${fields}` : message };
  } catch {
    return { ok: false, status: 0, message: "The server could not be reached." };
  }
}
