/**
 * The local Airflow speaks the published APIs, and the connector asks them only what they
 * take: every answer the fake sent during a set of syncs (first, incremental, each error) is
 * validated against the v1 / v2 OpenAPI schemas in openapi.ts with Ajv (types, formats, enums,
 * required fields, no unlisted property), and every request's query parameters against the
 * operation's parameters (known names, a single value unless a list, the value's schema).
 */
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDriver } from "@/test/support/db";
import type { RecordedRequest } from "@/test/support/fake-server";
import { FakeAirflow } from "./fake-airflow";
import { specifications, type Operation } from "./openapi";
import { airflowConfig, scheduled, seedDags, syncAirflow } from "./scenario";

const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));

function answerProblems(fake: FakeAirflow): string[] {
  const operations = specifications[fake.version] as Record<string, Operation>;
  const problems: string[] = [];
  for (const answer of fake.answers) {
    const schema = operations[answer.route]?.responses[answer.status];
    if (!schema) {
      problems.push(`${answer.route} ${answer.status}: no such response in the v${fake.version} specification`);
      continue;
    }
    const validate = ajv.compile(schema);
    if (!validate(answer.body)) problems.push(`${answer.route} ${answer.status}: ${ajv.errorsText(validate.errors)}`);
  }
  return problems;
}

function operationOf(fake: FakeAirflow, request: RecordedRequest): Operation | undefined {
  const operations = specifications[fake.version] as Record<string, Operation>;
  if (request.path === "/auth/token") return operations.token;
  if (request.path.endsWith("/dagRuns")) return operations.dagRuns;
  return operations.dag;
}

function requestProblems(fake: FakeAirflow): string[] {
  const problems: string[] = [];
  for (const request of fake.requests) {
    const operation = operationOf(fake, request);
    if (!operation) {
      problems.push(`${request.method} ${request.path}: not an operation of the v${fake.version} specification`);
      continue;
    }
    for (const name of new Set(request.query.keys())) {
      const parameter = operation.parameters.find((candidate) => candidate.name === name);
      const values = request.query.getAll(name);
      if (!parameter) problems.push(`${request.path}: unknown parameter ${name}`);
      else if (values.length > 1 && !parameter.list) problems.push(`${request.path}: ${name} sent ${values.length} times`);
      else {
        const validate = ajv.compile(parameter.schema);
        for (const value of values) {
          const typed = (parameter.schema as { type?: string }).type === "integer" ? Number(value) : value;
          if (!validate(typed)) problems.push(`${request.path}: ${name}=${value}: ${ajv.errorsText(validate.errors)}`);
        }
      }
    }
  }
  return problems;
}

for (const version of [1, 2] as const) {
  describeEachDriver(`Airflow API v${version} shapes`, (store) => {
    let airflow: FakeAirflow;
    beforeEach(async () => {
      airflow = await new FakeAirflow(version).start();
      seedDags(airflow);
    });
    afterEach(() => airflow.close());

    it("every answer fits the published specification, and every request asks only what it documents", async () => {
      await syncAirflow(store(), airflowConfig(airflow));
      airflow.addRun("load_transactions", scheduled("2026-01-02T12:00:00", "success", "2026-01-02T12:30:00.000000"));
      await syncAirflow(store(), airflowConfig(airflow));
      // The error answers: a DAG Airflow does not have, one the user may not read, refused credentials.
      airflow.forbidden.add("ingest_chargebacks");
      const config = airflowConfig(airflow);
      config.sources.airflow!.datasets.transactions!.push("missing_dag");
      await syncAirflow(store(), config);
      airflow.password = "changed";
      await syncAirflow(store(), airflowConfig(airflow));

      const statuses = new Set(airflow.answers.map((answer) => answer.status));
      expect([...statuses].sort()).toEqual(version === 1 ? [200, 403, 404] : [200, 201, 401, 403, 404]);
      expect(answerProblems(airflow)).toEqual([]);
      expect(requestProblems(airflow)).toEqual([]);
    });

    it("the schemas are strict enough to catch a drifted answer", () => {
      const drifted = { dag_runs: [{ dag_id: "d", dag_run_id: "r", state: "done", end_date: "yesterday" }], total_entries: 1 };
      airflow.answers.push({ method: "GET", route: "dagRuns", status: 200, body: drifted });
      const problems = answerProblems(airflow);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/state must be equal to one of the allowed values/);
      expect(problems[0]).toMatch(/end_date must match format "date-time"/);
    });
  });
}
