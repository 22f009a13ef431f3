// Password sign-ins through Auth.js's own endpoint, sent from a chosen loopback address (Linux
// routes all of 127.0.0.0/8 to the loopback interface), so a spec can lock one address out of
// signing in without locking out every other spec, which all come from 127.0.0.1 or ::1.
import { request } from "node:http";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; localAddress: string }): Promise<Reply> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      // 127.0.0.1 rather than "localhost": an IPv4 destination for an IPv4 source address.
      { host: hostname === "localhost" ? "127.0.0.1" : hostname, port, path: pathname + search, method: init.method ?? "GET", headers: init.headers, localAddress: init.localAddress },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

const cookiesOf = (reply: Reply) => ((reply.headers["set-cookie"] as string[] | undefined) ?? []).map((c) => c.split(";")[0]).join("; ");

/**
 * One e-mail/password sign-in from `localAddress`, with any extra headers (a forged
 * X-Forwarded-For). Returns the `code` Auth.js puts in the redirect back to the login form
 * ("credentials" for a wrong password, "rate_limited"), or "signed-in".
 */
export async function signInFrom(baseUrl: string, localAddress: string, user: { email: string; password: string }, headers: Record<string, string> = {}): Promise<string> {
  const csrf = await send(`${baseUrl}/api/auth/csrf`, { localAddress, headers });
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const reply = await send(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    localAddress,
    headers: { ...headers, cookie: cookiesOf(csrf), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email: user.email, password: user.password }).toString(),
  });
  const location = String(reply.headers.location ?? "");
  if (reply.status !== 302) throw new Error(`sign-in answered ${reply.status}`);
  return new URL(location, baseUrl).searchParams.get("code") ?? (location.includes("/login") ? "unknown" : "signed-in");
}
