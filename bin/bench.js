#!/usr/bin/env node
// `npm run bench [-- NAME...]`: runs the benchmarks in bench/ through tsx, like bin/shipshape.js.
import { register } from "tsx/esm/api";

register();
await import("../bench/index.ts");
