"use client";
/** A portfolio row's sparklines, one per headline KPI in the configuration's order, once the project's trends have loaded. */
import type { KpiId } from "@/lib/kpis/ids";
import { useTrends } from "@/app/components/charts/trends-provider";
import { Sparkline } from "./sparkline";

export function HeadlineSparklines({ kpis }: { kpis: { id: KpiId; title: string }[] }) {
  const state = useTrends();
  if (state.status === "loading") return <span className="meta">Loading the weekly series…</span>;
  if (state.status === "failed") return <span className="meta">The weekly series could not be loaded: {state.message}</span>;
  const { trend } = state;
  return (
    <div className="sparklines">
      {kpis.flatMap(({ id, title }) =>
        trend.series
          .filter((series) => series.id === id)
          .map((series) => <Sparkline key={id} id={id} title={title} unit={series.unit} weeks={trend.weeks} values={series.values} />),
      )}
    </div>
  );
}
