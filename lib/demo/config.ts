/**
 * The organisation Shipshape shows when there is no configuration file: three ML projects
 * whose repos, Jira keys, services, models and datasets the demo generator fills.
 */
import { DEFAULT_HEADLINE, type ConfigFile } from "@/lib/config/schema";
import { DEFAULT_DORA_BANDS } from "@/lib/kpis/dora/bands";

const project = (p: Partial<ConfigFile["projects"][number]> & Pick<ConfigFile["projects"][number], "slug" | "name">) => ({
  production_environments: ["production", "prod"],
  incident_window_hours: 168,
  services: [],
  models: [],
  datasets: [],
  headline: [...DEFAULT_HEADLINE],
  ...p,
});

export const demoConfig: ConfigFile = {
  timezone: "UTC",
  dora_bands: DEFAULT_DORA_BANDS,
  projects: [
    project({
      slug: "fraud-detection",
      name: "Fraud detection",
      timezone: "Europe/Berlin",
      group: "Risk",
      github: { repos: ["acme/fraud-api", "acme/fraud-model"] },
      jira: { projects: ["FRD"] },
      services: ["fraud-api", "fraud-features"],
      models: ["fraud-xgb"],
      datasets: ["transactions", "chargebacks"],
    }),
    project({
      slug: "churn-prediction",
      name: "Churn prediction",
      timezone: "America/New_York",
      group: "Growth",
      github: { repos: ["acme/churn"] },
      jira: { projects: ["CHN"] },
      services: ["churn-scorer"],
      models: ["churn-lgbm"],
      datasets: ["customer-events"],
    }),
    project({
      slug: "search-ranking",
      name: "Search ranking",
      group: "Growth",
      github: { repos: ["acme/search-ranker"] },
      jira: { projects: ["SRCH"] },
      services: ["search-api", "ranker"],
      models: ["ranker-bert"],
      datasets: ["query-logs", "click-logs"],
      headline: ["deployment_frequency", "lead_time_for_changes", "change_failure_rate", "model_iterations_shipped", "data_freshness_lag"],
    }),
  ],
  sources: {},
};
