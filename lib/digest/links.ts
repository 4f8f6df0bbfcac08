/** The links in a weekly email: absolute, from `email.base_url`, showing the summarised week. */
import type { WeeklySummary } from "./summary";

export interface DigestLinks {
  project: string;
  kpi(id: string): string;
  preview: string;
  /** The preview's plain-text part. */
  previewText: string;
  sources: string;
  /** Personal (signed) in a sent email; the preview page's subscription spot elsewhere. */
  unsubscribe: string;
}

/** Where links point when no `email.base_url` is configured (the CLI's printout, tests). */
export function defaultBaseUrl(env: Record<string, string | undefined> = process.env): string {
  return `http://localhost:${env.PORT || 3000}`;
}

export function digestLinks(baseUrl: string, summary: Pick<WeeklySummary, "project" | "week">, unsubscribeToken?: string): DigestLinks {
  const base = baseUrl.replace(/\/+$/, "");
  const slug = encodeURIComponent(summary.project.slug);
  const window = `from=${summary.week.from}&to=${summary.week.to}`;
  const preview = `${base}/projects/${slug}/digest?week=${summary.week.from}`;
  return {
    project: `${base}/projects/${slug}?${window}`,
    kpi: (id) => `${base}/projects/${slug}/kpis/${encodeURIComponent(id)}?${window}`,
    preview,
    previewText: `${preview}&format=text`,
    sources: `${base}/sources`,
    unsubscribe: unsubscribeToken ? unsubscribeUrl(base, unsubscribeToken) : `${base}/projects/${slug}/digest#subscription`,
  };
}

export function unsubscribeUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/unsubscribe?token=${encodeURIComponent(token)}`;
}

/** RFC 8058's List-Unsubscribe target: a POST there unsubscribes at once, without a page. */
export function oneClickUnsubscribeUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/api/unsubscribe?token=${encodeURIComponent(token)}`;
}
