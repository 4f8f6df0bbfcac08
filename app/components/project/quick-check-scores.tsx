/** The DORA Quick Check scores (0–10) of a report beside the 2025 industry benchmark (lib/kpis/dora/quick-check.ts). */
import { formatScore } from "@/lib/format/values";
import { findKpi } from "@/lib/kpis/catalog";
import { benchmark2025, scoredKpis } from "@/lib/kpis/dora/quick-check";
import type { Report } from "@/lib/report/build";

export function QuickCheckScores({ scores }: { scores: Report["scores"] }) {
  if (scores.overall === null) return null;
  return (
    <div className="quick-check" aria-label="DORA Quick Check scores">
      <p>
        DORA Quick Check score <strong>{formatScore(scores.overall)}</strong> / 10 · 2025 industry benchmark {formatScore(benchmark2025.overall)}
      </p>
      <ul className="dora">
        {scoredKpis
          .filter((id) => scores[id] !== undefined)
          .map((id) => (
            <li key={id}>
              <span>{findKpi(id)!.title}</span> <strong>{formatScore(scores[id]!)}</strong> <span className="meta">benchmark {formatScore(benchmark2025[id])}</span>
            </li>
          ))}
      </ul>
    </div>
  );
}
