/** The node's stable id: `myco-` + 12 hex, kept in a file so it survives restarts. */

import { dirname } from "node:path";
import { toHex, writeFileAtomic } from "../core/mod.ts";

const NODE_ID = /^myco-[0-9a-f]{12}$/;

/** True for a well-formed node id. */
export function isNodeId(value: string): boolean {
  return NODE_ID.test(value);
}

/** A fresh random node id. */
export function newNodeId(randomBytes: (n: number) => Uint8Array = cryptoBytes): string {
  return `myco-${toHex(randomBytes(6))}`;
}

/**
 * Reads the node id from `path`, creating it on first use. A damaged file is
 * replaced (the id only names the node; nothing else hangs on it).
 *
 * @returns the id and whether it was created now
 */
export async function loadOrCreateNodeId(
  path: string,
  options: { randomBytes?: (n: number) => Uint8Array } = {},
): Promise<{ nodeId: string; created: boolean; replacedDamaged: boolean }> {
  let existing: string | null = null;
  try {
    existing = (await Deno.readTextFile(path)).trim();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (existing !== null && isNodeId(existing)) {
    return { nodeId: existing, created: false, replacedDamaged: false };
  }
  const nodeId = newNodeId(options.randomBytes);
  await Deno.mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${nodeId}\n`);
  return { nodeId, created: true, replacedDamaged: existing !== null };
}

function cryptoBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}
