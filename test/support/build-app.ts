/** `next build` if the app's sources changed since the last build (lib/server/build.ts), as a process of its own. */
import { resolve } from "node:path";
import { buildIfStale } from "@/lib/server/build";

buildIfStale(resolve(import.meta.dirname, "../.."), (line) => console.log(`shipshape (test build): ${line}`));
