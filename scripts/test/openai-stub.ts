// A loopback server that speaks the OpenAI chat-completions API, so the real ChatOpenAI client
// code runs in tests. `answer` decides each reply from the request's messages.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
}

/** `delayMs` holds the answer back (a model that does not answer within the client's timeout). */
export type StubAnswer = { status: number; content?: string; delayMs?: number };

export interface OpenAIStub {
  baseUrl: string;
  requests: ChatRequest[];
  close(): Promise<void>;
}

export async function startOpenAIStub(answer: (req: ChatRequest) => StubAnswer): Promise<OpenAIStub> {
  const requests: ChatRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const parsed = JSON.parse(body) as ChatRequest;
      requests.push(parsed);
      const { status, content = "", delayMs = 0 } = answer(parsed);
      setTimeout(() => reply(res, parsed, status, content), delayMs);
    });
  });
  function reply(res: http.ServerResponse, parsed: ChatRequest, status: number, content: string) {
    if (res.destroyed) return; // the client gave up waiting
    res.writeHead(status, { "content-type": "application/json" });
    if (status !== 200) return void res.end(JSON.stringify({ error: { message: "stub failure", type: status === 429 ? "rate_limit_exceeded" : "server_error" } }));
    res.end(JSON.stringify({
      id: `chatcmpl-${requests.length}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: parsed.model,
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    }));
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections(); // answers still held back
      server.close(() => resolve());
    }),
  };
}

/** The JSON the reasoner put after "Input:" in its last message. */
export function inputOf(req: ChatRequest): Record<string, unknown> {
  const text = req.messages.at(-1)?.content ?? "";
  return JSON.parse(text.slice(text.indexOf("Input:") + "Input:".length)) as Record<string, unknown>;
}
