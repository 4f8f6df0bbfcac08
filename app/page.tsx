import { requireViewer } from "../lib/auth/guard";
import { recentDeployments, type DeploymentSummary } from "../lib/deployments";
import { getServerRuntime } from "../lib/server-runtime";

export const dynamic = "force-dynamic";

export default async function ProjectsPage() {
  await requireViewer();
  const { config, store } = await getServerRuntime();
  const projects = await Promise.all(
    config.projects.map(async (project) => ({ project, deployments: await recentDeployments(store, project) })),
  );
  return (
    <>
      <h1>Projects</h1>
      {config.demo && (
        <p className="meta">
          Demo mode: no <code>shipshape.yaml</code> was found, so this is a generated organisation. Add a configuration
          file to track your own projects.
        </p>
      )}
      {projects.length === 0 && (
        <p className="empty">No projects are configured. Add them under <code>projects:</code> in shipshape.yaml.</p>
      )}
      {projects.map(({ project, deployments }) => (
        <section className="card" key={project.slug} aria-labelledby={`project-${project.slug}`}>
          <h2 id={`project-${project.slug}`}>{project.name}</h2>
          <p className="meta">
            <code>{project.slug}</code> · time zone {project.timezone} · services {list(project.services)} · models{" "}
            {list(project.models)} · datasets {list(project.datasets)}
          </p>
          <DeploymentTable deployments={deployments} timezone={project.timezone} />
        </section>
      ))}
    </>
  );
}

function DeploymentTable({ deployments, timezone }: { deployments: DeploymentSummary[]; timezone: string }) {
  if (deployments.length === 0) {
    return <p className="empty">No deployments yet: ingest a deployment log or connect GitHub deployments.</p>;
  }
  const when = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: timezone });
  return (
    <table>
      <caption className="meta" style={{ textAlign: "left" }}>Recent deployments</caption>
      <thead>
        <tr>
          <th scope="col">Finished</th>
          <th scope="col">What</th>
          <th scope="col">Environment</th>
          <th scope="col">Status</th>
          <th scope="col">Version</th>
          <th scope="col">Commit</th>
        </tr>
      </thead>
      <tbody>
        {deployments.map((d) => (
          <tr key={`${d.source}:${d.id}`}>
            <td>{when.format(new Date(d.finishedAt))}</td>
            <td>{d.kind === "model" ? `model ${d.model ?? d.service}` : d.service ?? d.repo}</td>
            <td>{d.environment}</td>
            <td className={`status-${d.status}`}>{d.status.replace("_", " ")}</td>
            <td>{d.version ?? "—"}</td>
            <td>{d.commitSha ? <code>{d.commitSha.slice(0, 7)}</code> : "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function list(names: string[]): string {
  return names.length ? names.join(", ") : "none";
}
