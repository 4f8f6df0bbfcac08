"use client";
/** A form on the admin page, with the line its action answers (an error, a notice, a new token shown once). */
import { useActionState, type ReactNode } from "react";

export interface AdminState {
  error: string | null;
  notice: string | null;
  /** A created token: shown in this answer and never again. */
  secret?: string;
  /** What was typed, to keep it when the change was refused (never the password). */
  values?: Record<string, string>;
}

type Action = (previous: AdminState, form: FormData) => Promise<AdminState>;

const INITIAL: AdminState = { error: null, notice: null };

export function AdminForm({ action, label, csrfToken, className, children }: { action: Action; label: string; csrfToken: string; className?: string; children: ReactNode | ((values: Record<string, string>) => ReactNode) }) {
  const [state, formAction, pending] = useActionState(action, INITIAL);
  return (
    <form action={formAction} aria-label={label} className={className} aria-busy={pending}>
      <input type="hidden" name="csrf_token" value={csrfToken} />
      {typeof children === "function" ? children(state.values ?? {}) : children}
      <span aria-live="polite">
        {state.error && <span className="error"> {state.error}</span>}
        {state.notice && <span className="notice"> {state.notice}</span>}
      </span>
      {state.secret && (
        <p className="secret" aria-label="The new token">
          {state.secret}
        </p>
      )}
    </form>
  );
}

/** Adding a user; the email and role stay when the addition is refused. */
export function AddUserForm({ action, csrfToken, roles }: { action: Action; csrfToken: string; roles: readonly string[] }) {
  return (
    <AdminForm action={action} label="Add a user" csrfToken={csrfToken} className="stack">
      {(values) => (
        <div className="fields">
          <div>
            <label htmlFor="new-email">Email</label>
            <input id="new-email" name="email" type="email" required autoComplete="off" defaultValue={values.email ?? ""} />
          </div>
          <div>
            <label htmlFor="new-role">Role</label>
            <select id="new-role" name="role" defaultValue={values.role ?? "viewer"}>
              {roles.map((role) => (
                <option key={role}>{role}</option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="new-password">Password (at least 12 characters)</label>
            <input id="new-password" name="password" type="password" required minLength={12} autoComplete="new-password" />
          </div>
          <div>
            <span aria-hidden="true">&nbsp;</span>
            <button type="submit">Add user</button>
          </div>
        </div>
      )}
    </AdminForm>
  );
}
