"use client";
/**
 * A form whose Server Action answers with one line: the refusal ("This needs the editor role…",
 * "unknown project …") shown next to the button, instead of an error page.
 */
import { useActionState, type ReactNode } from "react";

export interface ActionAnswer {
  error: string | null;
  /** What was done, when the action says so ("Note added."); shown where an error would be. */
  done?: string | null;
}

export function ActionForm({ action, className, children }: { action: (previous: ActionAnswer, form: FormData) => Promise<ActionAnswer>; className?: string; children: ReactNode }) {
  const [answer, formAction] = useActionState(action, { error: null });
  return (
    <form action={formAction} className={className}>
      {children}
      {answer.error && (
        <span className="error" role="alert">
          {" "}
          {answer.error}
        </span>
      )}
      {!answer.error && answer.done && (
        <span className="done" role="status">
          {" "}
          {answer.done}
        </span>
      )}
    </form>
  );
}
