/**
 * The `deploy_logs` source (docs/scheduling.md): every file its `paths` globs match is a
 * partition with one stream, tailed (tail.ts). Its records are tagged `deploy_log`, like those
 * of `shipshape ingest` and POST /api/ingest, so a record that arrives both ways is one row.
 */
import { dirname, resolve } from "node:path";
import { glob } from "tinyglobby";
import type { Source } from "@/connectors/stream";
import { describeFsError, DeployLogFileError } from "./index";
import { SOURCE } from "./records";
import { CHUNK_BYTES, fileStream } from "./tail";

/** What the connector reads of `sources.deploy_logs`. */
export interface DeployLogSettings {
  paths: string[];
}

/** Absolute paths of the files the globs match, sorted; relative globs are relative to the configuration file. */
export async function matchingFiles(configPath: string | null, patterns: string[]): Promise<string[]> {
  const cwd = configPath ? dirname(resolve(configPath)) : process.cwd();
  const files = await glob(patterns, { cwd, absolute: true, onlyFiles: true, expandDirectories: false });
  return files.sort();
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
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return { message: "no such file (removed while syncing?)" };
      if (typeof code === "string") return { message: describeFsError(error as NodeJS.ErrnoException) };
      return { message: error instanceof Error ? error.message : String(error) };
    },
  };
}
