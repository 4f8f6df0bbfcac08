import { digestDeliveryStatus } from "@/lib/digest/delivery-status";
import { openPage } from "@/lib/server/pages";
import { sourcesStatus } from "@/lib/sync/status";
import { SourcesView } from "@/app/components/sources/sources-view";

export const dynamic = "force-dynamic";

/** Each configured source with its schedule, next run and recent sync runs, and the weekly email's delivery. */
export default async function SourcesPage() {
  const { config, store } = await openPage();
  const [sources, deliveries] = await Promise.all([sourcesStatus(config, store), digestDeliveryStatus(store)]);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return <SourcesView config={config} sources={sources} deliveries={deliveries} zone={zone} />;
}
