/**
 * The `dbt` source (docs/dbt.md): every file its `paths` globs match is a partition with one
 * stream (streams.ts), read once per content. Manifests are read first, so the run results
 * after them find theirs parsed.
 */
import { basename } from "node:path";
import { fileFailure, matchingFiles } from "@/connectors/files";
import type { Source } from "@/connectors/stream";
import { DbtArtifactError } from "./payloads";
import { datasetIndex, SOURCE } from "./records";
import { artifactStream, ReadStats, type DbtSession } from "./streams";

/** What the connector reads of `sources.dbt`. */
export interface DbtSettings {
  paths: string[];
  /** dataset -> node unique_ids. */
  datasets: Record<string, string[]>;
}

/** The source; the benchmark passes `stats` to see what a run read. */
export function dbtSource({ stats = new ReadStats() }: { stats?: ReadStats } = {}): Source<string, DbtSession, DbtSettings> {
  return {
    title: "dbt artifacts",
    records: SOURCE,
    origin: (settings) => settings.paths.join(", "),
    open: async ({ settings }) => ({ datasets: datasetIndex(settings.datasets), files: new Set(), manifests: new Map(), stats }),
    async partitions({ settings, configPath, log }, session) {
      const files = await matchingFiles(configPath, settings.paths);
      if (files.length === 0) log(`no file matches ${settings.paths.join(", ")}`);
      session.files = new Set(files);
      const manifestFirst = (file: string) => (basename(file).startsWith("manifest") ? 0 : 1);
      return files.sort((a, b) => manifestFirst(a) - manifestFirst(b) || a.localeCompare(b));
    },
    key: (file) => file,
    streams: [artifactStream],
    describeFailure(error) {
      if (error instanceof DbtArtifactError) return { message: error.message };
      return { message: fileFailure(error) ?? (error instanceof Error ? error.message : String(error)) };
    },
  };
}
