/**
 * The body of an answer relayed from a model server or a peer to a client: read apart from
 * the client's pace, written in bursts, with one call when it ends however it ends.
 *
 * @module
 */

/** Pieces closer together than this are a burst. */
const BURST_MS = 2;
/** Writes in a row that fast before bursts are gathered: a short answer never waits. */
const FAST_WRITES = 8;

/**
 * The response with a body that calls `end` once it is read to its end, fails or is
 * cancelled; a failure mid-body is turned into a last piece (`lastWords`) and a clean end.
 * The upstream is read as fast as it comes, apart from the client's pace: what arrived while
 * the last write was under way leaves as one write. A stream that stays fast (pieces under
 * {@linkcode BURST_MS} apart for {@linkcode FAST_WRITES} writes: an unpaced model server) also
 * waits a turn for the rest of each burst, so it costs a write per burst, not per token; a
 * short answer or a model at human speed is relayed piece by piece at once.
 */
export function withEnd(
  response: Response,
  end: () => void,
  lastWords: (error: unknown) => string | undefined,
): Response {
  if (response.body === null) {
    end();
    return response;
  }
  const reader = response.body.getReader();
  const encoder = new TextEncoder();
  const waiting: Uint8Array[] = [];
  const state: { ended: { error: unknown } | null; wake: (() => void) | null } = {
    ended: null,
    wake: null,
  };
  // Reads the upstream as fast as it comes, whatever the client's pace.
  (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        waiting.push(value);
        state.wake?.();
      }
      state.ended = { error: null };
    } catch (error) {
      state.ended = { error };
    }
    state.wake?.();
  })();
  const next = () => new Promise<void>((resolve) => state.wake = resolve);
  let lastWrite = -Infinity;
  let fast = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (waiting.length === 0 && state.ended === null) await next();
      const now = performance.now();
      fast = now - lastWrite < BURST_MS ? fast + 1 : 0;
      if (fast >= FAST_WRITES && waiting.length > 0 && state.ended === null) {
        // A long fast stream: what else comes within this turn leaves with it.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      if (waiting.length > 0) {
        controller.enqueue(concat(waiting.splice(0)));
        lastWrite = performance.now();
        return;
      }
      end();
      if (state.ended !== null && state.ended.error !== null) {
        const last = lastWords(state.ended.error);
        if (last !== undefined) controller.enqueue(encoder.encode(last));
      }
      controller.close();
    },
    cancel(reason) {
      end();
      return reader.cancel(reason);
    },
  });
  const headers = new Headers(response.headers);
  // The body is re-streamed as read (fetch already undid any compression): these would lie.
  for (const name of ["content-encoding", "content-length", "transfer-encoding", "connection"]) {
    headers.delete(name);
  }
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) all.set(part, at), at += part.length;
  return all;
}
