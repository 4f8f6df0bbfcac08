/**
 * What the file-reading sources share (deployment logs, dbt artifacts): the files their `paths`
 * globs match, and file-system errors said in the few words a user needs.
 */
import { dirname, resolve } from "node:path";
import { glob } from "tinyglobby";

/** Absolute paths of the files the globs match, sorted; relative globs are relative to the configuration file. */
export async function matchingFiles(configPath: string | null, patterns: string[]): Promise<string[]> {
  const cwd = configPath ? dirname(resolve(configPath)) : process.cwd();
  const files = await glob(patterns, { cwd, absolute: true, onlyFiles: true, expandDirectories: false });
  return files.sort();
}

/** A file system error as the few words a user needs. */
export function describeFsError(error: NodeJS.ErrnoException): string {
  if (error.code === "ENOENT") return "no such file";
  if (error.code === "EACCES" || error.code === "EPERM") return "permission denied";
  return error.message;
}

/** The line of a file-system error met while a file partition was read, or undefined for any other error. */
export function fileFailure(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "no such file (removed while syncing?)";
  if (typeof code === "string") return describeFsError(error as NodeJS.ErrnoException);
  return undefined;
}
