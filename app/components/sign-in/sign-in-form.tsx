"use client";
import { useActionState } from "react";
import { signInAction, type SignInState } from "@/app/sign-in/actions";

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, { error: null, email: "" });
  return (
    <form action={action} className="stack" aria-describedby={state.error ? "sign-in-error" : undefined}>
      <input type="hidden" name="next" value={next} />
      {state.error && (
        <p id="sign-in-error" className="error" role="alert">
          {state.error}
        </p>
      )}
      <label htmlFor="email">Email</label>
      <input id="email" name="email" type="email" autoComplete="username" required defaultValue={state.email} />
      <label htmlFor="password">Password</label>
      <input id="password" name="password" type="password" autoComplete="current-password" required />
      <button type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
