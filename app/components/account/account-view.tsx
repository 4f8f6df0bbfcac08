/** The signed-in user's account: who they are, and their password change. */
import type { Viewer } from "@/lib/auth/viewer";
import { PasswordForm } from "./password-form";

export function AccountView({ viewer }: { viewer: Viewer }) {
  if (viewer.kind !== "user") {
    return (
      <section className="card narrow">
        <h1>Your account</h1>
        <p>
          You are not signed in. <a href="/sign-in?next=/account">Sign in</a> to change your password.
        </p>
      </section>
    );
  }
  return (
    <section className="card narrow" aria-labelledby="account-heading">
      <h1 id="account-heading">Your account</h1>
      <p className="meta">
        Signed in as {viewer.email} ({viewer.role}).
      </p>
      <h2>Change your password</h2>
      <p className="meta">Changing it signs you out everywhere else; this browser stays signed in.</p>
      <PasswordForm csrfToken={viewer.csrfToken!} />
    </section>
  );
}
