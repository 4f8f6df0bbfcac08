/** The header's account corner: who is looking, with Sign in / Sign out. */
import { CSRF_FIELD } from "@/lib/auth/csrf";
import { currentViewer } from "@/lib/auth/viewer";
import { signOutAction } from "@/app/sign-in/actions";

export async function AccountArea() {
  const viewer = await currentViewer();
  if (viewer?.kind !== "user") {
    const who = viewer?.kind === "demo" ? "Demo viewer" : viewer?.kind === "public" ? "Public view" : null;
    return (
      <nav className="account" aria-label="Account">
        {who && <span>{who} · </span>}
        <a href="/sign-in">Sign in</a>
      </nav>
    );
  }
  return (
    <nav className="account" aria-label="Account">
      <span>
        Signed in as {viewer.email} ({viewer.role})
      </span>
      <a href="/account">Account</a>
      {viewer.role === "admin" && <a href="/admin">Admin</a>}
      <form action={signOutAction}>
        <input type="hidden" name={CSRF_FIELD} value={viewer.csrfToken!} />
        <button type="submit" className="link">
          Sign out
        </button>
      </form>
    </nav>
  );
}
