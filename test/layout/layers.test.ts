/**
 * The layers import one way (docs/architecture.md): the lint rule in eslint.config.js fails
 * `npm test` on an upward import. Each case lints a one-line file placed in a layer.
 */
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const eslint = new ESLint({ cwd: root });

async function restrictedImports(filePath: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import * as imported from "${specifier}";\nexport const used = imported;\n`, { filePath });
  return result!.messages.filter((message) => message.ruleId === "no-restricted-imports").map((message) => message.message);
}

describe("layer boundaries", () => {
  it.each([
    ["db/upward.ts", "@/lib/report/build"],
    ["db/upward.ts", "@/connectors/github/records"],
    ["connectors/upward.ts", "@/lib/kpis/catalog"],
    ["connectors/upward.ts", "@/app/components/kpis/kpi-card"],
    ["lib/upward.ts", "@/app/page"],
    ["lib/upward.ts", "@/cli/run"],
    ["app/upward.tsx", "@/db/client"],
    ["app/upward.tsx", "@/connectors/deploy-log"],
    ["cli/upward.ts", "@/db/schema"],
    ["cli/upward.ts", "@/connectors/github/client"],
  ])("refuses %s importing %s", async (file, specifier) => {
    const [message] = await restrictedImports(file, specifier);
    expect(message).toMatch(/must not import/);
  });

  it.each([
    ["lib/downward.ts", "@/db/client"],
    ["lib/downward.ts", "@/connectors/github/records"],
    ["connectors/downward.ts", "@/db/schema"],
    ["app/downward.tsx", "@/lib/report/build"],
    ["cli/downward.ts", "@/lib/server/runtime"],
  ])("allows %s importing %s", async (file, specifier) => {
    expect(await restrictedImports(file, specifier)).toEqual([]);
  });

  it("refuses relative imports that leave their folder, so the rule sees every import", async () => {
    const [message] = await restrictedImports("app/escape.tsx", "../db/client");
    expect(message).toMatch(/through the "@\/" alias/);
  });
});
