/**
 * A real SMTP server on 127.0.0.1 for the email tests (smtp-server, no TLS, no auth): it keeps
 * every message it accepted, parsed by mailparser with cid: links kept, and can refuse or delay
 * recipients to play a failing server.
 */
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";

export interface Received {
  to: string[];
  raw: string;
  mail: ParsedMail;
  /** Accepted by this server but never acknowledged (the sender was stopped while waiting). */
  unacknowledged: boolean;
}

export interface SmtpBehaviour {
  /** A reply refusing RCPT TO for this address on this try (1-based), or nothing to accept it. */
  refuse?(address: string, attempt: number): { code: number; message: string } | undefined;
  /** Keep the message but never answer the end of DATA (the sender hangs until killed). */
  stall?(to: string[]): boolean;
}

export interface TestSmtp {
  port: number;
  url: string;
  received: Received[];
  /** RCPT TO tries by address. */
  attempts: Map<string, number>;
  /** Resolves when `count` messages have arrived (acknowledged or not). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtp(behaviour: SmtpBehaviour = {}): Promise<TestSmtp> {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const attempt = (attempts.get(address.address) ?? 0) + 1;
      attempts.set(address.address, attempt);
      const refusal = behaviour.refuse?.(address.address, attempt);
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        const raw = Buffer.concat(chunks).toString("utf8");
        const stalled = behaviour.stall?.(to) ?? false;
        void simpleParser(raw, { keepCidLinks: true }).then((mail) => {
          received.push({ to, raw, mail, unacknowledged: stalled });
          if (!stalled) callback();
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    attempts,
    async waitFor(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
