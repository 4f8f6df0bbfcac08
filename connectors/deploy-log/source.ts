/**
 * The `deploy_logs` source (docs/scheduling.md): every file its `paths` globs match is a
 * partition with one stream, tailed (tail.ts). Its records are tagged `deploy_log`, like those
 * of `shipshape ingest` and POST /api/ingest, so a record that arrives both ways is one row.
 */
import { fileFailure, matchingFiles } from "@/connectors/files";
import type { Source } from "@/connectors/stream";
import { DeployLogFileError } from "./index";
import { SOURCE } from "./records";
import { CHUNK_BYTES, fileStream } from "./tail";

/** What the connector reads of `sources.deploy_logs`. */
export interface DeployLogSettings {
  paths: string[];
}

/** The source; tests lower `chunkBytes` to see a file stored chunk by chunk. */
export function deployLogsSource({ chunkBytes = CHUNK_BYTES } = {}): Source<string, null, DeployLogSettings> {
  return {
    title: "Deployment log files",
    records: SOURCE,
    origin: (settings) => settings.paths.join(", "),
    open: async () => null,
    async partitions({ settings, configPath, log }) {
      const files = await matchingFiles(configPath, settings.paths);
      if (files.length === 0) log(`no file matches ${settings.paths.join(", ")}`);
      return files;
    },
    key: (file) => file,
    streams: [fileStream(chunkBytes)],
    describeFailure(error) {
      if (error instanceof DeployLogFileError) return { message: error.message };
      return { message: fileFailure(error) ?? (error instanceof Error ? error.message : String(error)) };
    },
  };
}
