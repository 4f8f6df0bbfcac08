/**
 * The page an email's unsubscribe link opens. Opening it changes nothing (mail clients prefetch
 * links); the button POSTs, and works without signing in because the token is signed.
 */
export interface UnsubscribeViewProps {
  /** The token of the link, sent back with the POST. */
  token: string;
  /** Whom the token unsubscribes from which project; null when the link is not valid. */
  subscription: { email: string; projectName: string } | null;
  /** The POST went through. */
  done: boolean;
}

export function UnsubscribeView({ token, subscription, done }: UnsubscribeViewProps) {
  if (!subscription) {
    return (
      <>
        <h1>Unsubscribe</h1>
        <p className="empty">This unsubscribe link is not valid. Use the link in the latest weekly email.</p>
      </>
    );
  }
  if (done) {
    return (
      <>
        <h1>Unsubscribed</h1>
        <p>
          <strong>{subscription.email}</strong> no longer receives the weekly summary of {subscription.projectName}.
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Unsubscribe</h1>
      <form method="post" action={`/api/unsubscribe?token=${encodeURIComponent(token)}`} className="card">
        <p>
          Stop sending the weekly summary of <strong>{subscription.projectName}</strong> to <strong>{subscription.email}</strong>?
        </p>
        <button type="submit">Unsubscribe</button>
      </form>
    </>
  );
}
