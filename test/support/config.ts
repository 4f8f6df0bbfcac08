/** The tests' configuration: two projects with every kind of scope (repos, Jira, services, models, datasets), one in New York. */
import { parseConfig, type Config } from "@/lib/config/load";

export const CONFIG_YAML = `
timezone: UTC
projects:
  - slug: fraud
    name: Fraud detection
    github: { repos: [acme/fraud-api, acme/fraud-model] }
    jira: { projects: [FRD] }
    services: [fraud-api]
    models: [fraud-xgb, fraud-nn]
    datasets: [transactions, chargebacks]
  - slug: churn
    name: Churn
    timezone: America/New_York
    github: { repos: [acme/churn] }
    jira: { projects: [CHN] }
    services: [churn-api]
    models: [churn-lgbm]
    datasets: [events]
`;

export function testConfig(yaml = CONFIG_YAML): Config {
  return parseConfig(yaml, "test.yaml", {} as NodeJS.ProcessEnv);
}
