/**
 * Writing a file atomically: the data goes to a temporary file in the same folder, which
 * is then renamed over the target, so a reader (or a crash) sees the old file or the new
 * one, never half of one. A rename only replaces atomically within one file system, hence
 * the temporary file sits next to the target.
 *
 * @module
 */

/** Options of {@linkcode writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /**
   * The file's permission bits. A new file gets exactly these; an existing one keeps the
   * stricter of these and its own (`0o400` stays `0o400`, `0o644` becomes `0o600` when
   * `0o600` is asked). Ignored on Windows.
   *
   * @default an existing file's mode, else the process default (0o666 less the umask)
   */
  mode?: number;
  /**
   * Flush the data to disk before the rename, so a power cut leaves the old file or the
   * whole new one. Worth it for files that matter; a cache can skip it.
   *
   * @default true
   */
  sync?: boolean;
  /**
   * Replace an existing file. When false, an existing file wins (even one that appears
   * while writing: the new file is hard-linked into place, which fails if the name is
   * taken) and nothing is written.
   *
   * @default true
   */
  overwrite?: boolean;
}

/**
 * Writes `data` (text, bytes, or byte chunks written in order) to `path` atomically. The
 * parent folder must exist. On failure the temporary file is removed and the file system's
 * error is thrown as it is, for the caller to word.
 *
 * @param path the file to write
 * @param data text (written as UTF-8), bytes, or chunks of bytes
 * @returns false when `overwrite` is false and `path` already existed, else true
 *
 * @example
 * ```ts
 * await writeFileAtomic(tokenFile, `${token}\n`, { mode: 0o600 });
 * ```
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array | Iterable<Uint8Array>,
  options: WriteFileAtomicOptions = {},
): Promise<boolean> {
  const { sync = true, overwrite = true } = options;
  const mode = await modeFor(path, options.mode);
  // Beside the file (same folder, so the rename is atomic), hidden, never a name in use.
  // (String work, not node:path: this module loads with every command, --version too.)
  const slash = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const temp = `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.${crypto.randomUUID()}.tmp`;
  try {
    const file = await Deno.open(temp, {
      write: true,
      createNew: true,
      ...(mode === undefined ? {} : { mode }),
    });
    try {
      for (const chunk of chunksOf(data)) await writeAll(file, chunk);
      if (sync) await file.sync();
    } finally {
      file.close();
    }
    // The umask may have dropped bits of the mode asked for at creation.
    if (mode !== undefined && Deno.build.os !== "windows") await Deno.chmod(temp, mode);
    if (overwrite) {
      await Deno.rename(temp, path);
      return true;
    }
    try {
      await Deno.link(temp, path);
      return true;
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) return false;
      throw error;
    }
  } finally {
    // Gone after a rename; left after a link or a failure.
    await Deno.remove(temp).catch(() => {});
  }
}

/** The mode to give the new file: never looser than the existing file's nor than `asked`. */
async function modeFor(path: string, asked: number | undefined): Promise<number | undefined> {
  let old: number | null = null;
  try {
    old = (await Deno.stat(path)).mode;
  } catch {
    // No file yet (or unreadable metadata): the new file gets `asked` or the default.
  }
  if (old === null) return asked;
  const kept = old & 0o777;
  return asked === undefined ? kept : (kept & asked) || asked;
}

function* chunksOf(data: string | Uint8Array | Iterable<Uint8Array>): Iterable<Uint8Array> {
  if (typeof data === "string") yield new TextEncoder().encode(data);
  else if (data instanceof Uint8Array) yield data;
  else yield* data;
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  for (let done = 0; done < bytes.length;) done += await file.write(bytes.subarray(done));
}
