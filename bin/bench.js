#!/usr/bin/env node
// `npm run bench [-- NAME...]`: runs the benchmarks in bench/ through tsx, like bin/shipshape.js.
import { fileURLToPath, URL } from "node:url";
import { register } from "tsx/esm/api";

// The project's tsconfig wherever the command runs from: tsx would otherwise look in the
// working directory, and without it compile JSX (the email templates) for a global React.
register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("../bench/index.ts");
