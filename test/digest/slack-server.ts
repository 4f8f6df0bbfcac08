/**
 * A local server that answers like Slack's incoming webhooks: POST JSON to the hook's path →
 * 200 "ok" (text/plain); a body that is not JSON → 400 "invalid_payload"; neither `text` nor
 * `blocks` → 400 "no_text"; more than 50 blocks or a section text over 3,000 characters → 400
 * "invalid_blocks"; an unknown hook path → 404 "no_service". A test can queue answers of its
 * own (429 with Retry-After, 410 channel_is_archived, 500) for the next posts.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SlackAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface SlackServer {
  url: string;
  /** Every message Slack accepted, parsed. */
  accepted: { text?: string; blocks?: Block[] }[];
  /** Every POST it received, accepted or not. */
  posts: number;
  queue(...answers: SlackAnswer[]): void;
  close(): Promise<void>;
}

export interface Block {
  type: string;
  text?: { type: string; text: string };
  fields?: { type: string; text: string }[];
  elements?: { type: string; text: string }[];
}

const HOOK = "/services/T0SHIPSHAP/B0SUMMARY/abcdefghijklmnopqrstuvwx";

export async function startSlackServer(): Promise<SlackServer> {
  const queued: SlackAnswer[] = [];
  const state = { accepted: [] as SlackServer["accepted"], posts: 0 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      state.posts++;
      const answer = queued.shift() ?? judge(request.method ?? "", request.url ?? "", Buffer.concat(chunks).toString("utf8"), state.accepted);
      response.writeHead(answer.status, { "content-type": "text/plain; charset=utf-8", ...answer.headers });
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${HOOK}`,
    accepted: state.accepted,
    get posts() {
      return state.posts;
    },
    queue: (...answers) => queued.push(...answers),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function judge(method: string, path: string, body: string, accepted: SlackServer["accepted"]): SlackAnswer {
  if (method !== "POST" || path !== HOOK) return { status: 404, body: "no_service" };
  let message: { text?: string; blocks?: Block[] };
  try {
    message = JSON.parse(body) as typeof message;
  } catch {
    return { status: 400, body: "invalid_payload" };
  }
  if (!message.text && !message.blocks?.length) return { status: 400, body: "no_text" };
  const blocks = message.blocks ?? [];
  const tooLong = blocks.some((block) => (block.text?.text.length ?? 0) > 3000 || (block.type === "header" && (block.text?.text.length ?? 0) > 150));
  if (blocks.length > 50 || tooLong) return { status: 400, body: "invalid_blocks" };
  accepted.push(message);
  return { status: 200, body: "ok" };
}

/** A message's blocks as the text a reader sees, one line per line of each block. */
export function blocksText(blocks: Block[]): string {
  return blocks
    .map((block) => {
      if (block.type === "divider") return "---";
      const parts = [block.text?.text, ...(block.fields ?? []).map((field) => field.text), ...(block.elements ?? []).map((element) => element.text)];
      return parts.filter(Boolean).join("\n");
    })
    .join("\n");
}
