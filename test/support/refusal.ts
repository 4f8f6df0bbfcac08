/** What lib/ refused a request with: the UserError's kind and message (fails the test when it was not refused so). */
import { expect } from "vitest";
import { UserError, type ErrorKind } from "@/lib/errors/user-error";

export async function refusal(promise: Promise<unknown>): Promise<{ kind: ErrorKind; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  const { kind, message } = error as UserError;
  return { kind, message };
}
