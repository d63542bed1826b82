/**
 * Chat sessions on disk: one JSON file per session under `sessions/`, in the
 * Python mycoSwarm's format. Writes go to a temporary file that is renamed
 * over the old one, so a crash mid-write never leaves a damaged session.
 */

import { createError, isMycoError, writeFileAtomic } from "../core/mod.ts";

/** One message of a saved session. Fields other programs wrote (e.g. `vitals`) are kept. */
export interface TranscriptMessage {
  /** "user" and "assistant" go to the model; other roles are kept but not sent. */
  role: string;
  /** The message's text. */
  content: string;
  /** ISO 8601 time. */
  timestamp?: string;
  /** The model that wrote an assistant message. */
  model?: string;
  /** Set when the answer was cut short (Ctrl-C or a failing server). */
  interrupted?: true;
  /** Fields other programs wrote, kept as they were. */
  [field: string]: unknown;
}

/** A saved chat session. */
export interface Transcript {
  /** The session's name, also its file name. */
  name: string;
  /** The model the session talks to. */
  model: string;
  /** ISO 8601 times. */
  created: string;
  /** ISO 8601 time of the last save. */
  updated: string;
  /** How many messages `messages` holds. */
  message_count: number;
  /** The conversation, oldest first. */
  messages: TranscriptMessage[];
  /** Top-level fields other programs wrote, kept as they were. */
  extra?: Record<string, unknown>;
}

/** A session in a listing, or a file that could not be read. */
export type TranscriptSummary =
  | { name: string; ok: true; model: string; updated: string; message_count: number }
  | { name: string; ok: false; error: string };

/** A session file that could not be read, and why. */
export interface ReadFailure {
  /** The session's name. */
  name: string;
  /** Why: damaged, or gone. */
  error: string;
}

const SESSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Checks a session name: letters, digits, `.`, `_` and `-`, so a name can
 * never reach outside the sessions folder.
 *
 * @throws MycoError `usage`
 */
export function checkSessionName(name: string): string {
  if (!SESSION_NAME.test(name) || name.includes("..")) {
    throw createError(
      "usage",
      `Bad session name '${name}': use letters, digits, '.', '_' and '-' (at most 100)`,
    );
  }
  return name;
}

/** The default name of a new session: `chat-YYYYmmdd-HHMMSS` (local time). */
export function defaultSessionName(now: number): string {
  const d = new Date(now);
  const p = (n: number) => String(n).padStart(2, "0");
  return `chat-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-` +
    `${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** Reads and writes the sessions folder. */
export class TranscriptStore {
  /** The sessions folder. */
  readonly dir: string;

  /** Uses the sessions folder `dir`, created on the first save. */
  constructor(dir: string) {
    this.dir = dir;
  }

  /** The file of session `name`. */
  pathOf(name: string): string {
    return `${this.dir}/${checkSessionName(name)}.json`;
  }

  /**
   * Loads a session; null when it does not exist.
   *
   * @throws MycoError `invalid_input` when the file is damaged (it is left untouched)
   */
  async load(name: string): Promise<Transcript | null> {
    const path = this.pathOf(name);
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw createError(
        "invalid_input",
        `Cannot read session ${path}: ${(error as Error).message}`,
      );
    }
    return parseTranscript(path, name, text);
  }

  /** Saves a session atomically. */
  async save(transcript: Transcript): Promise<string> {
    const path = this.pathOf(transcript.name);
    const { extra, ...known } = transcript;
    const body = { ...extra, ...known, message_count: transcript.messages.length };
    try {
      await Deno.mkdir(this.dir, { recursive: true });
      await writeFileAtomic(path, JSON.stringify(body, null, 2) + "\n");
    } catch (error) {
      throw createError(
        "storage_failed",
        `Cannot save the session to ${path}: ${(error as Error).message}. ` +
          "Check that MYCOSWARM_HOME is a folder you can write to",
        { cause: error },
      );
    }
    return path;
  }

  /** Lists the saved sessions, most recently updated first; damaged files are listed as such. */
  async list(): Promise<TranscriptSummary[]> {
    const summaries = (await this.readAll()).map((read): TranscriptSummary => {
      if ("error" in read) return { name: read.name, ok: false, error: read.error };
      const t = read.transcript;
      return {
        name: read.name,
        ok: true,
        model: t.model,
        updated: t.updated,
        message_count: t.messages.length,
      };
    });
    const key = (s: TranscriptSummary) => (s.ok ? s.updated : "");
    return summaries.sort((a, b) => key(b).localeCompare(key(a)) || a.name.localeCompare(b.name));
  }

  /**
   * Every session of the folder, each read once: its transcript, or why it cannot be read
   * (damaged, or gone since the folder was listed). In no particular order.
   */
  async readAll(): Promise<({ name: string; transcript: Transcript } | ReadFailure)[]> {
    const names: string[] = [];
    try {
      for await (const entry of Deno.readDir(this.dir)) {
        const name = entry.name.match(/^(.+)\.json$/)?.[1];
        if (entry.isFile && name && SESSION_NAME.test(name)) names.push(name);
      }
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw error;
    }
    return await Promise.all(names.map(async (name) => {
      try {
        const transcript = await this.load(name);
        return transcript === null ? { name, error: "vanished" } : { name, transcript };
      } catch (error) {
        if (!isMycoError(error)) throw error;
        return { name, error: error.message };
      }
    }));
  }

  /**
   * Keeps session `name` under the name `to` (a new conversation takes its name).
   *
   * @throws MycoError `storage_failed` when the file cannot be moved
   */
  async rename(name: string, to: string): Promise<void> {
    const from = this.pathOf(name);
    try {
      await Deno.rename(from, this.pathOf(to));
    } catch (error) {
      throw createError("storage_failed", `Cannot rename ${from}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /**
   * Moves session `name`'s file aside as `<file>.<suffix>` — a damaged one nothing can
   * read, kept for its owner — so the name can start afresh.
   *
   * @returns where it went, or null when it could not be moved
   */
  async setAside(name: string, suffix: string): Promise<string | null> {
    const path = this.pathOf(name);
    const aside = `${path}.${suffix}`;
    return await Deno.rename(path, aside).then(() => aside, () => null);
  }

  /** The most recently updated readable session, or null. */
  async latest(): Promise<Transcript | null> {
    const newest = (await this.list()).find((s) => s.ok);
    return newest ? this.load(newest.name) : null;
  }
}

const KNOWN_FIELDS = new Set(["name", "model", "created", "updated", "message_count", "messages"]);

/** Parses a session file; the name is the file's, whatever the JSON says inside. */
function parseTranscript(path: string, name: string, text: string): Transcript {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw damaged(path, (error as Error).message);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw damaged(path, "not a JSON object");
  }
  const t = data as Record<string, unknown>;
  if (!Array.isArray(t.messages)) throw damaged(path, "no message list");
  const messages = t.messages.filter((m): m is TranscriptMessage =>
    typeof m === "object" && m !== null && typeof m.role === "string" &&
    typeof m.content === "string"
  );
  const extra = Object.fromEntries(Object.entries(t).filter(([k]) => !KNOWN_FIELDS.has(k)));
  return {
    name,
    model: typeof t.model === "string" ? t.model : "",
    created: typeof t.created === "string" ? t.created : "",
    updated: typeof t.updated === "string" ? t.updated : "",
    message_count: messages.length,
    messages,
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

function damaged(path: string, why: string) {
  return createError(
    "invalid_input",
    `Session file ${path} is damaged (${why}); it was left as it is`,
  );
}
