/**
 * The retro view (issue #7): one sprint of a project beside the previous sprint of the same
 * length, laid out to be printed. The numbers come from lib/report/retro.ts; this only formats.
 */
import { formatWeekday } from "@/lib/format/dates";
import { changeArrow, formatChange, formatValue } from "@/lib/format/values";
import { MAX_RETRO_DAYS, type Comparison, type Retro } from "@/lib/report/retro";
import type { SprintChoice } from "@/lib/report/sprints";
import { PrintButton } from "./print-button";
import { RetroChart } from "./retro-chart";
import { FailedDeployments, Incidents } from "./retro-events";

/** The project's Jira sprints, the one chosen (`?sprint=`), and what was wrong with the choice. */
export interface SprintChoices {
  sprints: SprintChoice[];
  sprint: SprintChoice | null;
  error: string | null;
}

export function RetroView({ retro, sprints }: { retro: Retro; sprints: SprintChoices }) {
  const { window, previous } = retro;
  return (
    <>
      <Breadcrumb slug={retro.project.slug} name={retro.project.name} />
      <div className="retro-title">
        <h1>Retro — {retro.project.name}</h1>
        <PrintButton />
      </div>
      <p className="meta">
        {sprints.sprint && (
          <>
            <strong>{sprints.sprint.name}</strong> ({sprintState(sprints.sprint)}, board {sprints.sprint.board}):{" "}
          </>
        )}
        Sprint <strong>{longDate(window.from)} – {longDate(window.to)}</strong> ({window.days} days, {window.timezone}), compared
        with the previous sprint of the same length, {longDate(previous.from)} – {longDate(previous.to)}.
      </p>
      <WindowForm slug={retro.project.slug} from={window.from} to={window.to} previous={previous} />
      <SprintForm slug={retro.project.slug} choices={sprints} />
      <Summary rows={retro.summary} />
      <DeploysPerDay retro={retro} />
      <FailedDeployments events={retro.failed_deployments.events} previous={retro.failed_deployments.previous} timezone={window.timezone} />
      <Incidents list={retro.incidents.list} previous={retro.incidents.previous} timezone={window.timezone} />
    </>
  );
}

/** A window the retro cannot show (`message` says why), with the form to pick another. */
export function RetroError({
  project,
  message,
  from,
  to,
  sprints,
}: {
  project: { slug: string; name: string };
  message: string;
  from: string;
  to: string;
  sprints: SprintChoices;
}) {
  return (
    <>
      <Breadcrumb slug={project.slug} name={project.name} />
      <h1>Retro — {project.name}</h1>
      <p className="retro-error" role="alert">
        Cannot show this window: {message}.
      </p>
      <WindowForm slug={project.slug} from={from} to={to} />
      <SprintForm slug={project.slug} choices={sprints} />
    </>
  );
}

function Breadcrumb({ slug, name }: { slug: string; name: string }) {
  return (
    <nav aria-label="Breadcrumb" className="retro-breadcrumb no-print">
      <a href="/">Projects</a> › <a href={`/projects/${slug}`}>{name}</a> › Retro
    </nav>
  );
}

function WindowForm({ slug, from, to, previous }: { slug: string; from: string; to: string; previous?: { from: string; to: string } }) {
  return (
    <form className="retro-window no-print" method="get" action={`/projects/${slug}/retro`}>
      <label>
        From <input type="date" name="from" defaultValue={from} required />
      </label>
      <label>
        To <input type="date" name="to" defaultValue={to} required />
      </label>
      <button type="submit">Show sprint</button>
      {previous && <a href={`/projects/${slug}/retro?from=${previous.from}&to=${previous.to}`}>← Previous sprint</a>}
      <a href={`/projects/${slug}/retro`}>Last 14 days</a>
      <span className="meta">Up to {MAX_RETRO_DAYS} days; both dates count.</span>
    </form>
  );
}

/**
 * The project's Jira sprints as a GET form (it works without JavaScript): the chosen one's start
 * to its complete date (or planned end) becomes the window. Nothing when the project has no board.
 */
function SprintForm({ slug, choices }: { slug: string; choices: SprintChoices }) {
  if (choices.sprints.length === 0 && !choices.error) return null;
  return (
    <form className="retro-window retro-sprint no-print" method="get" action={`/projects/${slug}/retro`}>
      <label>
        Jira sprint{" "}
        <select name="sprint" defaultValue={choices.sprint ? String(choices.sprint.id) : ""} required>
          <option value="" disabled>
            Choose a sprint…
          </option>
          {choices.sprints.map((sprint) => (
            <option value={sprint.id} key={sprint.id}>
              {sprint.name} — {shortDate(sprint.from)} – {longDate(sprint.to)} ({sprintState(sprint)})
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Show chosen sprint</button>
      <span className="meta">From the start date to the complete date, or the end date while the sprint runs.</span>
      {choices.error && (
        <p className="retro-error" role="alert">
          Cannot show this sprint: {choices.error}.
        </p>
      )}
    </form>
  );
}

function sprintState(sprint: SprintChoice): string {
  if (sprint.completed) return "completed";
  return sprint.state === "active" ? "running" : sprint.state;
}

function Summary({ rows }: { rows: Comparison[] }) {
  return (
    <section className="card retro-section" aria-labelledby="retro-summary">
      <h2 id="retro-summary">The sprint in numbers</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col" className="num">This sprint</th>
            <th scope="col" className="num">Previous sprint</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">
                {row.title} <span className="meta">({row.note})</span>
              </th>
              <td className="num">{shown(row.value, row.unit)}</td>
              <td className="num">{shown(row.previous, row.unit)}</td>
              <td className={row.better === null ? undefined : row.better ? "change-better" : "change-worse"}>{changeText(row)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="meta">
        Values with no data show “no data” (e.g. lead time needs deployments with commits). “Better” and “worse” follow each
        measure’s direction: more deployments is better, a higher failure rate is worse.
      </p>
    </section>
  );
}

function DeploysPerDay({ retro }: { retro: Retro }) {
  const { current, previous } = retro.days;
  const total = (days: { deployments: number }[]) => days.reduce((sum, day) => sum + day.deployments, 0);
  const summary = `Deployments per day: ${total(current)} this sprint, ${total(previous)} in the previous sprint.`;
  return (
    <section className="card retro-section" aria-labelledby="retro-days">
      <h2 id="retro-days">Deployments per day</h2>
      <p className="meta">
        Completed production deployments per calendar day ({retro.window.timezone}). Grey bars: the same day of the previous
        sprint ({shortDate(retro.previous.from)} – {shortDate(retro.previous.to)}).
      </p>
      {total(current) + total(previous) === 0 && (
        <p className="empty">
          No production deployments in either sprint. Deployments come from a deployment log (<code>sources.deploy_logs</code> or{" "}
          <code>shipshape ingest</code>) or GitHub deployments; check the project’s <code>services</code>, <code>models</code>,{" "}
          <code>github.repos</code> and <code>production_environments</code> in shipshape.yaml.
        </p>
      )}
      <RetroChart
        current={current}
        previous={previous}
        currentLabels={current.map((day) => shortDate(day.date))}
        previousLabels={previous.map((day) => shortDate(day.date))}
        summary={summary}
      />
      <details className="retro-table-alternative">
        <summary>Deployments per day as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Day of sprint</th>
              <th scope="col">This sprint</th>
              <th scope="col" className="num">Deployments</th>
              <th scope="col">Previous sprint</th>
              <th scope="col" className="num">Deployments</th>
            </tr>
          </thead>
          <tbody>
            {current.map((day, index) => (
              <tr key={day.date}>
                <td className="num">{index + 1}</td>
                <td>{shortDate(day.date)}</td>
                <td className="num">{day.deployments}</td>
                <td>{shortDate(previous[index]!.date)}</td>
                <td className="num">{previous[index]!.deployments}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

/** "▲ +11 (better)", "▼ −10.7 pts (better)"; "—" without both values. */
function changeText({ value, previous, unit, better }: Comparison): string {
  const change = formatChange(value, previous, unit);
  if (change === null) return "—";
  if (change === "no change") return change;
  return `${changeArrow(value, previous)}${change} (${better ? "better" : "worse"})`;
}

/** Values without data say so: the summary's note explains when that happens. */
const shown = (value: number | null, unit: Comparison["unit"]) => formatValue(value, unit, "no data");
const shortDate = (date: string) => formatWeekday(date);
const longDate = (date: string) => formatWeekday(date, { withYear: true });
