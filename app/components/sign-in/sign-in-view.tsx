import { SignInForm } from "./sign-in-form";

export interface SignInViewProps {
  /** Where to go once signed in (already checked to be a path of this site). */
  next: string;
  /** The demo lets anyone look around without an account. */
  demo: boolean;
  /** Whether any account exists: with none, the page says how to add the first admin. */
  anyAccount: boolean;
}

export function SignInView({ next, demo, anyAccount }: SignInViewProps) {
  return (
    <section className="card narrow" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">Sign in</h1>
      {demo && <p className="meta">Demo mode: you can look around without signing in. Sign in to edit targets.</p>}
      <SignInForm next={next} />
      <p className="meta">
        {anyAccount ? (
          <>No account? An admin adds one on the admin page or with <code>shipshape users add</code>.</>
        ) : (
          <>
            There are no accounts yet. Add the first admin on the server with{" "}
            <code>shipshape users add --email you@example.com --role admin</code> (docs/accounts.md).
          </>
        )}
      </p>
    </section>
  );
}
