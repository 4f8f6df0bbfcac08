/** The admin page: accounts and ingest tokens (the CLI does the same: shipshape users, shipshape tokens). */
import { roles, type User } from "@/lib/auth/users";
import type { IngestTokenSummary } from "@/lib/ingest/tokens";
import { addUserAction, createTokenAction, removeUserAction, revokeTokenAction, setRoleAction } from "@/app/admin/actions";
import { AddUserForm, AdminForm } from "./admin-form";

const when = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace("T", " ")} UTC` : "never");

export interface AdminViewProps {
  users: User[];
  tokens: IngestTokenSummary[];
  /** The signed-in admin's CSRF token, sent with every form. */
  csrfToken: string;
}

export function AdminView({ users, tokens, csrfToken }: AdminViewProps) {
  return (
    <>
      <h1>Admin</h1>
      <section className="card" aria-labelledby="users-heading">
        <h2 id="users-heading">Users</h2>
        <p className="meta">Viewers read every page; editors also set targets; admins also manage users and ingest tokens.</p>
        <table>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Added</th>
              <th scope="col"><span className="visually-hidden">Remove</span></th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id}>
                <th scope="row">{user.email}</th>
                <td>
                  <AdminForm action={setRoleAction} label={`Role of ${user.email}`} csrfToken={csrfToken}>
                    <input type="hidden" name="email" value={user.email} />
                    <label htmlFor={`role-${user.id}`} className="visually-hidden">
                      Role of {user.email}
                    </label>
                    <select id={`role-${user.id}`} name="role" defaultValue={user.role}>
                      {roles.map((role) => (
                        <option key={role}>{role}</option>
                      ))}
                    </select>{" "}
                    <button type="submit" className="secondary">
                      Change
                    </button>
                  </AdminForm>
                </td>
                <td>{when(user.createdAt)}</td>
                <td>
                  <AdminForm action={removeUserAction} label={`Remove ${user.email}`} csrfToken={csrfToken}>
                    <input type="hidden" name="email" value={user.email} />
                    <button type="submit" className="secondary" aria-label={`Remove ${user.email}`}>
                      Remove
                    </button>
                  </AdminForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>Add a user</h3>
        <AddUserForm action={addUserAction} csrfToken={csrfToken} roles={roles} />
      </section>

      <section className="card" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">Ingest tokens</h2>
        <p className="meta">
          For <code>POST /api/ingest</code> (<code>Authorization: Bearer &lt;token&gt;</code>). A new token is shown once; only its hash is kept.
        </p>
        {tokens.length === 0 ? (
          <p className="empty">No ingest tokens.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col"><span className="visually-hidden">Revoke</span></th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <td className="num">{token.id}</td>
                  <th scope="row">{token.name}</th>
                  <td>{when(token.createdAt)}</td>
                  <td>{when(token.lastUsedAt)}</td>
                  <td>
                    <AdminForm action={revokeTokenAction} label={`Revoke token ${token.id}`} csrfToken={csrfToken}>
                      <input type="hidden" name="id" value={token.id} />
                      <button type="submit" className="secondary" aria-label={`Revoke token ${token.id} (${token.name})`}>
                        Revoke
                      </button>
                    </AdminForm>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h3>Create a token</h3>
        <AdminForm action={createTokenAction} label="Create an ingest token" csrfToken={csrfToken} className="stack">
          <div className="fields">
            <div>
              <label htmlFor="token-name">Name (what it is for)</label>
              <input id="token-name" name="name" placeholder="ingest" />
            </div>
            <div>
              <span aria-hidden="true">&nbsp;</span>
              <button type="submit">Create token</button>
            </div>
          </div>
        </AdminForm>
      </section>
    </>
  );
}

/** What a signed-in viewer without the admin role sees. */
export function AdminRefused() {
  return (
    <section className="card">
      <h1>Admin</h1>
      <p className="error">Only admins can manage users and ingest tokens.</p>
    </section>
  );
}
