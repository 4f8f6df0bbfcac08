/**
 * A password for `users add` and `users set-password`, never from a command-line flag (flags land in shell history and
 * in `ps`): SHIPSHAPE_PASSWORD, else a prompt without echo on a terminal (asked twice), else
 * the first line of stdin (`printf '%s\n' "$PW" | shipshape users add …`).
 */
import { createInterface } from "node:readline";
import { UserError } from "@/lib/errors/user-error";
import type { CliIo } from "./io";

export async function readPassword(io: CliIo): Promise<string> {
  if (io.env.SHIPSHAPE_PASSWORD) return io.env.SHIPSHAPE_PASSWORD;
  if (!io.stdin.isTTY || !io.stdin.setRawMode) return firstLineOfStdin(io);
  const password = await promptHidden(io, "Password: ");
  if ((await promptHidden(io, "Password again: ")) !== password) throw new UserError("the two passwords differ", "invalid");
  return password;
}

async function firstLineOfStdin(io: CliIo): Promise<string> {
  const lines = createInterface({ input: io.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  throw new UserError("no password: set SHIPSHAPE_PASSWORD, run on a terminal, or pipe it on stdin", "invalid");
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(io: CliIo, question: string): Promise<string> {
  io.stderr.write(question);
  const { stdin } = io;
  stdin.setRawMode!(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  let typed = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") {
          finish();
          return resolve(typed);
        }
        if (char === "\u0003") {
          finish();
          return reject(new UserError("cancelled", "cancelled"));
        }
        if (char === "\u007f" || char === "\b") typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode!(false);
      stdin.pause();
      io.stderr.write("\n");
    };
    stdin.on("data", onData);
  });
}
