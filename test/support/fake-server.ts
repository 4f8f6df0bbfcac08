/**
 * What the tests' local API servers share (test/mlflow/fake-mlflow.ts,
 * test/airflow/fake-airflow.ts): node:http on 127.0.0.1 on a free port, every request
 * recorded (with its body), a hook before each is answered (to change the server mid-sync),
 * and faults — the next `times` requests to a path (and query) answered with a given status
 * and body instead. Subclasses answer the API itself in `answer`, and say their error body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Fault {
  /** Requests whose path starts with this fail (and whose query contains `query`, when given). */
  path: string;
  query?: string;
  times: number;
  status: number;
  /** Sent as is; default the API's own error body (`faultBody`). */
  body?: string;
  contentType?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: string;
}

export abstract class FakeServer {
  requests: RecordedRequest[] = [];
  /** Called for every request before it is answered. */
  onRequest: (request: RecordedRequest) => void = () => {};
  private faults: Fault[] = [];
  private server: Server | undefined;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  fail(fault: Fault) {
    this.faults.push({ ...fault });
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => this.receive(request, response, body));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Answers a request no fault took. */
  protected abstract answer(request: IncomingMessage, response: ServerResponse, url: URL, body: string): void;

  /** The API's error body for a fault without a body of its own. */
  protected abstract faultBody(status: number): string;

  private receive(request: IncomingMessage, response: ServerResponse, body: string) {
    const url = new URL(request.url!, "http://127.0.0.1");
    const recorded = { method: request.method!, path: url.pathname, query: url.searchParams, authorization: request.headers.authorization, body };
    this.requests.push(recorded);
    this.onRequest(recorded);
    const fault = this.faults.find((candidate) => candidate.times > 0 && url.pathname.startsWith(candidate.path) && (!candidate.query || url.search.includes(candidate.query)));
    if (!fault) return this.answer(request, response, url, body);
    fault.times--;
    response.writeHead(fault.status, { "content-type": fault.contentType ?? "application/json" });
    response.end(fault.body ?? this.faultBody(fault.status));
  }
}
