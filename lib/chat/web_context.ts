/**
 * Web results for a chat turn whose intent needs the web (tool `web_search` or
 * `web_and_rag`): one `web_search` task through the injected {@linkcode RunTask}, given to
 * the prompt as [W1].. context. When the web is unavailable the chat says so once and goes
 * on without it.
 */

import type { Logger } from "../core/mod.ts";
import type { Intent } from "../intent/mod.ts";
import type { RunTask } from "../orchestrator/mod.ts";
import type { WebContext } from "./prompt_assembly.ts";
import { searchAll } from "./research_fan_out.ts";

/** Characters of a message searched at most: engines want keywords, not essays. */
const MAX_QUERY = 300;

/** True when the intent's tool needs web results. */
export function needsWeb(intent: Intent): boolean {
  return intent.tool === "web_search" || intent.tool === "web_and_rag";
}

/** The message as a search query: whitespace collapsed, cut at a word near 300 characters. */
export function searchQueryFor(message: string): string {
  const text = message.replace(/\s+/g, " ").trim();
  if (text.length <= MAX_QUERY) return text;
  const cut = text.slice(0, MAX_QUERY);
  const space = cut.lastIndexOf(" ");
  return (space > MAX_QUERY / 2 ? cut.slice(0, space) : cut).trim();
}

/** Settings of {@linkcode WebLookup}. */
export interface WebLookupOptions {
  runTask: RunTask;
  /** Where "the web is unavailable" is said, once. */
  logger: Logger;
  /** @default 5 */
  maxResults?: number | undefined;
}

/** Web search for chat turns; one per chat, so the unavailable warning comes once. */
export class WebLookup {
  readonly #options: WebLookupOptions;
  #warned = false;

  /** Searches with `options`; nothing is searched until a turn asks. */
  constructor(options: WebLookupOptions) {
    this.#options = options;
  }

  /**
   * The web results for `message`, best first: [] when the intent does not need the web,
   * the search fails (said once per chat) or `signal` fires. Never throws.
   */
  async lookup(message: string, intent: Intent, signal?: AbortSignal): Promise<WebContext[]> {
    const query = searchQueryFor(message);
    if (!needsWeb(intent) || query === "") return [];
    const [outcome] = await searchAll([query], this.#options.runTask, {
      maxResults: this.#options.maxResults,
      signal,
    });
    if (outcome?.ok) {
      // Wanted by the intent, so ranked above recalled memories when the budget is short.
      return outcome.hits.map((hit, i) => ({
        title: hit.title,
        url: hit.url,
        text: hit.snippet || hit.title,
        score: 1 - i / 100,
      }));
    }
    if (signal?.aborted || this.#warned) return [];
    this.#warned = true;
    const error = outcome?.error;
    const why = (error instanceof Error ? error.message : String(error)).split("\n")
      .map((line) => line.trim()).filter(Boolean).join(" ");
    this.#options.logger.warn(`the web is unavailable, answering without it: ${why}`);
    return [];
  }
}
