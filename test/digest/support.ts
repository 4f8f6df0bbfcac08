/** Shared by the weekly email tests: a configuration with an email: block, two weeks of deployments. */
import type { Store } from "@/db/client";
import { CONFIG_YAML, testConfig } from "@/test/support/config";
import { deployment, insertDeployments } from "@/test/support/records";

export function emailConfig(smtpUrl: string, yaml = CONFIG_YAML) {
  return testConfig(`${yaml}
email:
  smtp_url: ${smtpUrl}
  from: "Shipshape <kpi@acme.example>"
  base_url: https://kpi.acme.example
`);
}

/** Seven deployments in the week of 2026-03-09 (1/day), fourteen the week before (2/day). */
export async function seedTwoWeeks(store: Store) {
  const days = (from: number, count: number, perDay: number) =>
    Array.from({ length: count * perDay }, (_, i) => {
      const day = String(from + Math.floor(i / perDay)).padStart(2, "0");
      return deployment(`d-${from}-${i}`, `2026-03-${day}T${String(10 + (i % perDay)).padStart(2, "0")}:00:00Z`);
    });
  await insertDeployments(store, [...days(2, 7, 2), ...days(9, 7, 1)]);
}

