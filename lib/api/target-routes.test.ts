// The targets API through the add-on's catch-all handler: the admin guard (401/403), malformed
// JSON (400), invalid fields (422 naming them), conflicts (409), and answers without secrets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../fixtures/test/databases";
import { type AddonContext, createAddonContext } from "../mount/context";
import { apiHandler } from "./dispatch";

let addon: AddonContext;
let handle: (req: Request) => Promise<Response>;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  addon = createAddonContext({
    databaseUrl,
    secret: "t".repeat(40),
    target: { baseUrl: "https://default.example", databaseUrl: "postgres://app:pw@db.default:5432/app" },
    // The visitor's role from a test header: none (anonymous), "user" (signed in) or "admin".
    authorize: async ({ headers }) => {
      const role = headers.get("x-test-role");
      if (!role) return null;
      return role === "admin" ? { id: "a1", email: "admin@example.com" } : "forbidden";
    },
  });
  handle = apiHandler(addon);
});
afterAll(() => addon.close());

function call(method: string, path: string, { role = "admin", body }: { role?: string | null; body?: string | object } = {}) {
  const headers = new Headers(role ? { "x-test-role": role } : {});
  if (body !== undefined) headers.set("content-type", "application/json");
  return handle(new Request(`http://localhost/api/admin/bots${path}`, { method, headers, body: typeof body === "string" ? body : body === undefined ? undefined : JSON.stringify(body) }));
}

const shop = { name: "shop", baseUrl: "https://shop.example", databaseUrl: "postgres://shop:DB-PASS-42@db.shop:5432/shop", bearerToken: "BEARER-42" };

describe("the targets API", () => {
  it("answers 401 to strangers and 403 to signed-in non-admins, on every method", async () => {
    for (const [method, path] of [["GET", "/targets"], ["POST", "/targets"], ["GET", "/targets/abcdefghijklmnopqrstu"], ["PATCH", "/targets/abcdefghijklmnopqrstu"], ["DELETE", "/targets/abcdefghijklmnopqrstu"]] as const) {
      expect((await call(method, path, { role: null, body: method === "POST" || method === "PATCH" ? shop : undefined })).status).toBe(401);
      expect((await call(method, path, { role: "user", body: method === "POST" || method === "PATCH" ? shop : undefined })).status).toBe(403);
    }
    expect(await addon.prisma().target.count()).toBe(0);
  });

  it("adds, lists, reads, edits and deletes, with secrets as presence only; 400, 422 and 409 name what is wrong", async () => {
    expect((await call("POST", "/targets", { body: "{not json" })).status).toBe(400);
    const invalid = await call("POST", "/targets", { body: { ...shop, name: "default", scheduleMinutes: 1 } });
    expect(invalid.status).toBe(422);
    expect(Object.keys(((await invalid.json()) as { error: { fields: object } }).error.fields).sort()).toEqual(["name", "scheduleMinutes"]);

    const created = await call("POST", "/targets", { body: shop });
    expect(created.status).toBe(201);
    const text = await created.text();
    expect(text).not.toMatch(/DB-PASS-42|BEARER-42/);
    const { target } = JSON.parse(text) as { target: { id: string; secrets: Record<string, boolean> } };
    expect(target.secrets).toEqual({ databasePassword: true, sessionCookie: false, bearerToken: true, vercelToken: false });

    const again = await call("POST", "/targets", { body: { ...shop, name: "shop-2" } });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { existing: string } }).error.existing).toBe("shop");

    for (const res of [await call("GET", "/targets"), await call("GET", `/targets/${target.id}`)]) {
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain('"shop"');
      expect(body).not.toMatch(/DB-PASS-42|BEARER-42/);
    }
    const edited = await call("PATCH", `/targets/${target.id}`, { body: { bearerToken: "", removeSecrets: ["databasePassword"], endpoints: ["/api/health"] } });
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as { target: { secrets: object; endpoints: string[] } }).target).toMatchObject({ secrets: { databasePassword: false, bearerToken: true }, endpoints: ["/api/health"] });
    expect((await call("PATCH", `/targets/${target.id}`, { body: { endpoints: ["https://other.example/"] } })).status).toBe(422);
    expect((await call("GET", "/targets/not-an-id")).status).toBe(422);
    expect((await call("GET", "/targets/abcdefghijklmnopqrstu")).status).toBe(404);

    const run = await addon.prisma().troubleshootingRun.create({ data: { trigger: "api", status: "awaiting_approval", target: {}, targetKey: (await addon.prisma().target.findUniqueOrThrow({ where: { id: target.id } })).targetKey, targetId: target.id } });
    expect((await call("DELETE", `/targets/${target.id}`)).status).toBe(409);
    await addon.prisma().troubleshootingRun.update({ where: { id: run.id }, data: { status: "cancelled" } });
    expect((await call("DELETE", `/targets/${target.id}`)).status).toBe(204);
    expect((await call("GET", `/targets/${target.id}`)).status).toBe(404);
  });

  it("POST /runs refuses an unknown target naming the field; GET /runs filters by target name", async () => {
    const start = await call("POST", "/runs", { body: { target: "nowhere" } });
    expect(start.status).toBe(422);
    expect(((await start.json()) as { error: { fields: object } }).error.fields).toHaveProperty("target");
    const list = await call("GET", "/runs?target=nowhere");
    expect(list.status).toBe(422);
    expect((await call("GET", "/runs?target=default")).status).toBe(200);
  });
});
