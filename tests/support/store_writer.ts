/**
 * A process that opens the store and remembers one fact, starting at an agreed moment so
 * several of them race for a fresh database: `store_writer.ts DB TEXT START_MS`.
 */

import { Store } from "../../lib/store/mod.ts";

const [path, text, start] = Deno.args;
if (path === undefined || text === undefined || start === undefined) {
  throw new Error("usage: store_writer.ts DB TEXT START_MS");
}
while (Date.now() < Number(start)) {
  // Spin rather than sleep: a timer's lateness would spoil the race.
}
using store = Store.open(path);
store.facts.add(text, "fact", new Date().toISOString());
