/** `/remember`, `/memories`, `/forget`, `/stale` — shared by chat and `mycoswarm memory`. */

import type { Clock } from "../core/mod.ts";
import { createError } from "../core/mod.ts";
import { isStale, parseFactText } from "../memory/mod.ts";
import type { FactRow, Store } from "../store/mod.ts";

/** Remembers a fact; returns it. */
export function rememberFact(store: Store, clock: Clock, input: string): FactRow {
  const { type, text } = parseFactText(input);
  if (text === "") {
    throw createError(
      "usage",
      "Nothing to remember: /remember <text> (prefixes pref:, project:, temp:)",
    );
  }
  return store.facts.add(text, type, new Date(clock.now()).toISOString());
}

/** Forgets fact `idText` ("3" or "#3"); returns what it was. */
export function forgetFact(store: Store, idText: string): FactRow {
  const id = Number(idText.replace(/^#/, ""));
  if (!Number.isInteger(id) || id < 1) {
    throw createError("usage", `Forget which fact? '${idText}' is not an id`);
  }
  const fact = store.facts.get(id);
  if (!fact || !store.facts.remove(id)) {
    throw createError("not_found", `There is no fact #${id} (see /memories)`);
  }
  return fact;
}

/** The line shown after /remember. */
export function rememberedLine(fact: FactRow): string {
  return `Remembered #${fact.id} (${fact.type}): ${fact.text}`;
}

/** The line shown after /forget. */
export function forgotLine(fact: FactRow): string {
  return `Forgot #${fact.id}: ${fact.text}`;
}

/** The facts as lines for people; `staleOnly` keeps the stale ones. */
export function describeFacts(facts: readonly FactRow[], now: number, staleOnly = false): string {
  const shown = staleOnly ? facts.filter((f) => isStale(f, now)) : facts;
  if (shown.length === 0) {
    return staleOnly ? "No stale facts." : "No facts yet. Teach me one: /remember <text>";
  }
  return shown.map((f) => {
    const stale = isStale(f, now) ? "  (stale)" : "";
    return `#${String(f.id).padEnd(4)} ${f.type.padEnd(10)} ${f.text}${stale}`;
  }).join("\n");
}
