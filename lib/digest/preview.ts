/** The weekly email as the preview page and `shipshape digest` show it: the same rendering as a send. */
import type { Store } from "@/db/client";
import type { Config } from "@/lib/config/load";
import { defaultBaseUrl, digestLinks } from "./links";
import { renderDigest, type RenderedDigest } from "./render";
import { weeklySummary, type WeeklySummary } from "./summary";

export interface DigestPreview extends RenderedDigest {
  summary: WeeklySummary;
}

/** Charts as data URIs (a browser has no MIME parts); links from `email.base_url`, else `baseUrl`. */
export async function previewDigest(
  store: Store,
  config: Config,
  request: { project: string; week?: string; now?: Date; baseUrl?: string },
): Promise<DigestPreview> {
  const summary = await weeklySummary(store, config, request);
  const baseUrl = config.email?.base_url ?? request.baseUrl ?? defaultBaseUrl();
  return { summary, ...(await renderDigest(summary, digestLinks(baseUrl, summary), { images: "data" })) };
}
