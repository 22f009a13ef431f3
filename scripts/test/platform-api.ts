// A loopback stand-in for the platform's controls: an on-demand revalidation endpoint, a Vercel
// deploy hook and the Vercel REST API (list deployments, instant rollback). Each call can repair
// a fault of the fault site, as the real thing would once the new build or page is live.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Integrations } from "../../lib/troubleshooting/integrations";

export interface PlatformCall {
  method: string;
  path: string;
  authorized: boolean;
  body: unknown;
}

export interface PlatformApi {
  integrations: Required<Integrations>;
  calls: PlatformCall[];
  onRevalidate: (paths: string[]) => void;
  onDeploy: () => void;
  onRollback: (deploymentId: string) => void;
  close(): Promise<void>;
}

const SECRET = "revalidate-secret-123";
const TOKEN = "vercel-token-456";
const PROJECT = "prj_test";

export async function startPlatformApi(): Promise<PlatformApi> {
  const api: PlatformApi = {
    integrations: {} as Required<Integrations>,
    calls: [],
    onRevalidate: () => {},
    onDeploy: () => {},
    onRollback: () => {},
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const text = Buffer.concat(chunks).toString();
      const body: unknown = text ? JSON.parse(text) : null;
      const bearer = req.headers.authorization ?? "";
      const json = (status: number, value: unknown) => void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
      const call = (authorized: boolean) => api.calls.push({ method: req.method ?? "", path: url.pathname, authorized, body });
      if (req.method === "POST" && url.pathname === "/revalidate") {
        call(bearer === `Bearer ${SECRET}`);
        if (bearer !== `Bearer ${SECRET}`) return json(401, { message: "Invalid secret" });
        api.onRevalidate((body as { paths: string[] }).paths);
        return json(200, { revalidated: true, now: Date.now() });
      }
      if (req.method === "POST" && url.pathname === `/v1/integrations/deploy/${PROJECT}/hook-abc`) {
        call(true);
        api.onDeploy();
        return json(201, { job: { id: "job_123", state: "PENDING", createdAt: Date.now() } });
      }
      const authorized = bearer === `Bearer ${TOKEN}`;
      if (req.method === "GET" && url.pathname === "/v6/deployments") {
        call(authorized);
        if (!authorized) return json(403, { error: { code: "forbidden" } });
        return json(200, { deployments: [{ uid: "dpl_current", url: "site-current.vercel.app", created: Date.now(), state: "READY", target: "production" }, { uid: "dpl_previous", url: "site-previous.vercel.app", created: Date.now() - 86_400_000, state: "READY", target: "production" }] });
      }
      const rollback = /^\/v1\/projects\/([^/]+)\/rollback\/([^/]+)$/.exec(url.pathname);
      if (req.method === "POST" && rollback) {
        call(authorized);
        if (!authorized || rollback[1] !== PROJECT) return json(403, { error: { code: "forbidden" } });
        api.onRollback(rollback[2] as string);
        return json(201, {});
      }
      json(404, { error: { code: "not_found" } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.integrations = {
    revalidate: { url: `${base}/revalidate`, secret: SECRET },
    deployHook: { url: `${base}/v1/integrations/deploy/${PROJECT}/hook-abc` },
    vercel: { apiUrl: base, token: TOKEN, projectId: PROJECT },
  };
  api.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return api;
}
