/** Reads a response body piece by piece, stopping at a size or when a signal fires. */

/** What {@linkcode readBody} got. */
export interface BodyRead {
  bytes: Uint8Array;
  /** The body went on past `maxBytes`; `bytes` holds the first `maxBytes`. */
  truncated: boolean;
  /** `signal` fired before the body ended; `bytes` holds what came until then. */
  stopped: boolean;
}

/**
 * Reads at most `maxBytes` of `body`, then cancels the rest, so a huge or
 * never-ending body costs no more than the limit. Stops early when `signal`
 * fires (the caller's deadline), keeping what arrived.
 *
 * @throws the stream's error when it breaks for another reason (connection reset)
 */
export async function readBody(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  signal: AbortSignal,
): Promise<BodyRead> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  let stopped = false;
  if (body === null) return { bytes: new Uint8Array(), truncated, stopped };
  const reader = body.getReader();
  let onAbort = () => {};
  const aborted = new Promise<"aborted">((resolve) => {
    onAbort = () => resolve("aborted");
    if (signal.aborted) resolve("aborted");
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    while (true) {
      const read = reader.read();
      read.catch(() => {}); // may reject after the race is lost to the signal
      const next = await Promise.race([read, aborted]);
      if (next === "aborted") {
        stopped = true;
        break;
      }
      if (next.done) break;
      const room = maxBytes - size;
      if (next.value.byteLength > room) {
        chunks.push(next.value.subarray(0, room));
        size += room;
        truncated = true;
        break;
      }
      chunks.push(next.value);
      size += next.value.byteLength;
    }
  } catch (error) {
    if (!signal.aborted) throw error;
    stopped = true;
  } finally {
    signal.removeEventListener("abort", onAbort);
    await reader.cancel().catch(() => {}); // frees the connection of an unread rest
  }
  return { bytes: concat(chunks, size), truncated, stopped };
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
