import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The layers import one way (docs/architecture.md): connectors → db → lib → app and cli.
 * Imports across folders go through the "@/" alias, so a layer's forbidden imports are
 * recognisable by their first path segment.
 */
const upward = {
  db: ["lib", "app", "cli", "connectors"],
  connectors: ["lib", "app", "cli"],
  lib: ["app", "cli"],
  app: ["db", "connectors", "cli"],
  cli: ["db", "connectors", "app"],
};

function layerRule(layer) {
  const forbidden = upward[layer] ?? [];
  return {
    files: [`${layer}/**/*.{ts,tsx}`],
    rules: {
      "no-restricted-imports": ["error", { patterns: [...relativeEscapes, ...forbidden.map((target) => ({
        group: [`@/${target}/*`, `@/${target}`],
        message: `${layer}/ must not import ${target}/ (layers: connectors → db → lib → app/cli; docs/architecture.md)`,
      }))] }],
    },
  };
}

const relativeEscapes = [{ group: ["../*", "../"], message: 'import across folders through the "@/" alias' }];

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", ".shipshape/**", "next-env.d.ts", "db/migrations/**", "test-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  { files: ["{test,bench}/**/*.{ts,tsx}"], rules: { "no-restricted-imports": ["error", { patterns: relativeEscapes }] } },
  ...Object.keys(upward).map(layerRule),
  { files: ["bin/**/*.js"], languageOptions: { globals: { process: "readonly", console: "readonly" } } },
);
