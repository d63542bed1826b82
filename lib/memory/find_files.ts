/** Walks the paths given to `library ingest`: files as they are, folders recursively. */

import { resolve } from "node:path";
import { docTypeOf } from "./extract_text.ts";

/** A file to ingest, or a path that could not be used. */
export type FoundFile =
  | { kind: "file"; path: string }
  | { kind: "unsupported"; path: string; explicit: boolean }
  | { kind: "error"; path: string; reason: string };

/** Folders never worth indexing. */
const SKIPPED_DIRS = new Set([".git", "node_modules", ".hg", ".svn", "__pycache__", ".venv"]);

/**
 * Lists the files under `paths` in a stable order. Hidden files and folders
 * inside a walked folder are passed over; a path that cannot be read becomes
 * an `error` entry and the walk goes on.
 */
export async function findFiles(paths: readonly string[]): Promise<FoundFile[]> {
  const out: FoundFile[] = [];
  const seen = new Set<string>();
  for (const given of paths) {
    const path = resolve(given);
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch (error) {
      out.push({ kind: "error", path, reason: reasonOf(error) });
      continue;
    }
    if (info.isDirectory) await walk(path, out, seen);
    else if (docTypeOf(path) === null) out.push({ kind: "unsupported", path, explicit: true });
    else out.push({ kind: "file", path });
  }
  return out;
}

async function walk(dir: string, out: FoundFile[], seen: Set<string>): Promise<void> {
  let real: string;
  let entries: Deno.DirEntry[];
  try {
    real = await Deno.realPath(dir);
    if (seen.has(real)) return; // a symlink loop or a folder given twice
    seen.add(real);
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    out.push({ kind: "error", path: dir, reason: reasonOf(error) });
    return;
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith(".") || SKIPPED_DIRS.has(entry.name)) continue;
    const path = `${dir}/${entry.name}`;
    let isDirectory = entry.isDirectory;
    if (entry.isSymlink) {
      try {
        isDirectory = (await Deno.stat(path)).isDirectory;
      } catch {
        continue; // a dangling link
      }
    }
    if (isDirectory) await walk(path, out, seen);
    else if (docTypeOf(path) === null) out.push({ kind: "unsupported", path, explicit: false });
    else out.push({ kind: "file", path });
  }
}

/** A short reason for a file-system error. */
export function reasonOf(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "no such file or folder";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  return error instanceof Error ? error.message : String(error);
}
