import { UserError } from "@/lib/errors/user-error";
import { buildRetro } from "@/lib/report/retro";
import { chooseSprint, projectSprints } from "@/lib/report/sprints";
import { openProjectPage } from "@/lib/server/pages";
import { firstValue } from "@/lib/server/query";
import { RetroError, RetroView } from "@/app/components/retro/retro-view";

export const dynamic = "force-dynamic";

type Query = Record<string, string | string[] | undefined>;

/**
 * The retro of a sprint: a Jira sprint of the project's boards (`sprint=ID`: its start to its
 * complete or end date), else from/to, else the last 14 days ending yesterday in the project's zone.
 */
export default async function RetroPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Query> }) {
  const { config, store, project } = await openProjectPage((await params).slug);
  const query = await searchParams;
  const sprints = await projectSprints(store, project);
  const choice = chooseSprint(sprints, firstValue(query.sprint));
  const from = choice.sprint?.from ?? firstValue(query.from);
  const to = choice.sprint?.to ?? firstValue(query.to);
  const sprintChoice = { sprints, ...choice };
  try {
    return <RetroView retro={await buildRetro(store, config, { project: project.slug, from, to })} sprints={sprintChoice} />;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return <RetroError project={project} message={error.message} from={from ?? ""} to={to ?? ""} sprints={sprintChoice} />;
  }
}
