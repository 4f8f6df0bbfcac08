"use client";
/** The password change form: each error next to its field; the passwords are never kept in the page. */
import { useActionState } from "react";
import { changePasswordAction } from "@/app/account/actions";

export interface PasswordFormState {
  errors: Partial<Record<"current" | "next" | "repeated" | "form", string>>;
  /** The line saying it worked. */
  changed: string | null;
}

const INITIAL: PasswordFormState = { errors: {}, changed: null };

const FIELDS = [
  { name: "current", label: "Current password", autoComplete: "current-password" },
  { name: "next", label: "New password (at least 12 characters)", autoComplete: "new-password" },
  { name: "repeated", label: "New password again", autoComplete: "new-password" },
] as const;

export function PasswordForm({ csrfToken }: { csrfToken: string }) {
  const [state, action, pending] = useActionState(changePasswordAction, INITIAL);
  return (
    <form action={action} aria-label="Change your password" className="stack">
      <input type="hidden" name="csrf_token" value={csrfToken} />
      {FIELDS.map(({ name, label, autoComplete }) => (
        <div key={name} className="stack">
          <label htmlFor={`password-${name}`}>{label}</label>
          <input
            id={`password-${name}`}
            name={name}
            type="password"
            required
            autoComplete={autoComplete}
            minLength={name === "current" ? undefined : 12}
            {...(state.errors[name] ? { "aria-invalid": true, "aria-describedby": `password-${name}-error` } : {})}
          />
          {state.errors[name] && (
            <p id={`password-${name}-error`} className="field-error">
              {state.errors[name]}
            </p>
          )}
        </div>
      ))}
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Changing…" : "Change password"}
        </button>
      </div>
      <div aria-live="polite">
        {state.errors.form && <p className="error">{state.errors.form}</p>}
        {state.changed && <p className="notice">{state.changed}</p>}
      </div>
    </form>
  );
}
