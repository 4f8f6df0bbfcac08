/**
 * The sources page (issue #7): each configured source with its schedule, next run and recent
 * sync runs, a run's error one line per failed part — the same data as `shipshape status` and
 * GET /api/sources (lib/sync/status.ts) — and the weekly email's delivery.
 */
import type { Config } from "@/lib/config/load";
import type { DigestWeekStatus } from "@/lib/digest/delivery-status";
import { formatInstant } from "@/lib/format/dates";
import type { RunSummary, SourceStatus } from "@/lib/sync/status";
import { describeRecords } from "@/lib/sync/summary";

export interface SourcesViewProps {
  config: Config;
  sources: SourceStatus[];
  deliveries: DigestWeekStatus[];
  /** The server's zone: schedules are cron expressions in it, so times are shown in it too. */
  zone: string;
}

export function SourcesView({ config, sources, deliveries, zone }: SourcesViewProps) {
  return (
    <>
      <h1>Sources</h1>
      {sources.length === 0 ? (
        <NoSources demo={config.demo} />
      ) : (
        <>
          <p className="meta">
            Sync runs of each configured source, newest first. Schedules and times are in the server’s time zone ({zone}).
          </p>
          {sources.map((status) => (
            <Source key={status.source} status={status} zone={zone} />
          ))}
        </>
      )}
      <EmailDelivery configured={Boolean(config.email)} weeks={deliveries} zone={zone} />
    </>
  );
}

/** The weekly email's recent weeks per project: sent, still sending, failed with the SMTP server's last answer. */
function EmailDelivery({ configured, weeks, zone }: { configured: boolean; weeks: DigestWeekStatus[]; zone: string }) {
  return (
    <section className="card" aria-labelledby="email-delivery">
      <h2 id="email-delivery">Weekly email delivery</h2>
      {!configured && (
        <p className="empty">
          No weekly email is configured: add an <code>email:</code> block (smtp_url, from, base_url) to shipshape.yaml (docs/email.md).
        </p>
      )}
      {weeks.length === 0 ? (
        configured && <p className="empty">No weekly email has been sent yet: subscribers get one each week (docs/email.md).</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Project</th>
              <th scope="col">Week of</th>
              <th scope="col">Sent</th>
              <th scope="col">Sending</th>
              <th scope="col">Failed</th>
              <th scope="col">Last sent</th>
              <th scope="col">Failures (attempts: last error)</th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((week) => (
              <tr key={`${week.project}:${week.week}`}>
                <td>{week.project}</td>
                <td>{week.week}</td>
                <td>{week.sent}</td>
                <td>{week.sending}</td>
                <td className={week.failed > 0 ? "run-failed" : undefined}>{week.failed}</td>
                <td>{week.lastSentAt ? dateTime(week.lastSentAt, zone) : "—"}</td>
                <td className="run-error">
                  {week.failures.map((failure) => (
                    <div key={failure.email}>
                      {failure.email} ({failure.attempts}): {failure.error ?? "unknown error"}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function NoSources({ demo }: { demo: boolean }) {
  return (
    <section className="card" aria-labelledby="no-sources">
      <h2 id="no-sources">No sources configured</h2>
      <p>
        {demo
          ? "Demo mode: no shipshape.yaml was found, so the dashboard shows a generated organisation and nothing is synced."
          : "shipshape.yaml configures no source, so nothing is synced on a schedule."}{" "}
        Add a <code>sources:</code> section to shipshape.yaml; each source syncs on its cron <code>schedule</code>, and its runs
        and errors appear here:
      </p>
      <pre className="config-example">{`sources:
  github:
    token: \${GITHUB_TOKEN}
    schedule: "*/30 * * * *"
  jira:
    base_url: https://acme.atlassian.net
    email: \${JIRA_EMAIL}
    token: \${JIRA_TOKEN}
    schedule: "0 * * * *"
  deploy_logs:
    paths: [logs/deploys/*.jsonl]
    schedule: "*/5 * * * *"
  dbt:
    paths: [dbt/target/*.json]
    datasets: { transactions: [source.acme.raw.transactions] }`}</pre>
      <p className="meta">
        Projects pick their records with <code>github.repos</code>, <code>jira.projects</code>, <code>services</code>,{" "}
        <code>models</code> and <code>datasets</code>. Deployment logs can also be sent with <code>shipshape ingest</code> or{" "}
        <code>POST /api/ingest</code>. See docs/configuration.md and docs/scheduling.md.
      </p>
    </section>
  );
}

function Source({ status, zone }: { status: SourceStatus; zone: string }) {
  const id = `source-${status.source}`;
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{status.title}</h2>
      <dl className="source-facts">
        <dt>Reads</dt>
        <dd>{status.reads}</dd>
        <dt>Schedule</dt>
        <dd>
          <code>{status.schedule}</code>
        </dd>
        <dt>Next run</dt>
        <dd>{status.next_run_at ? dateTime(status.next_run_at, zone) : "not scheduled"}</dd>
        <dt>Last error</dt>
        <dd>
          {status.last_error ? (
            <>
              {dateTime(status.last_error.at, zone)}: <ErrorLines error={status.last_error.error} />
            </>
          ) : (
            "none"
          )}
        </dd>
      </dl>
      {status.runs.length === 0 ? (
        <p className="empty">No runs yet: the first runs at the next scheduled time (or run `shipshape sync --source {status.source}`).</p>
      ) : (
        <Runs runs={status.runs} zone={zone} />
      )}
    </section>
  );
}

function Runs({ runs, zone }: { runs: RunSummary[]; zone: string }) {
  return (
    <table>
      <caption className="meta" style={{ textAlign: "left" }}>
        {runs.length === 1 ? "The only run so far" : `The last ${runs.length} runs`}
      </caption>
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Finished</th>
          <th scope="col">Trigger</th>
          <th scope="col">Status</th>
          <th scope="col">Records</th>
          <th scope="col" className="num">Requests</th>
          <th scope="col">Error</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id}>
            <td>{dateTime(run.started_at, zone)}</td>
            <td>{run.finished_at ? dateTime(run.finished_at, zone) : "still running"}</td>
            <td>{run.trigger}</td>
            <td className={`run-${run.status}`}>{run.status}</td>
            <td>{describeRecords(run, " · ")}</td>
            <td className="num">{run.requests}</td>
            <td className="run-error">{run.error && <ErrorLines error={run.error} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A run's error: one line per failed part (a repo, a project, a file). */
function ErrorLines({ error }: { error: string }) {
  return error.split("\n").map((line, index) => (
    <span key={index} className="error-line">
      {line}
    </span>
  ));
}

/** Runs take seconds: their times are shown to the second. */
const dateTime = (iso: string, zone: string) => formatInstant(iso, zone, { seconds: true });
