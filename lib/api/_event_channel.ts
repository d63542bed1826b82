/** A tiny async queue: synchronous producers push, one consumer iterates until closed. */

/** Values pushed in order; iteration ends after `close()` once the backlog is drained. */
export class EventChannel<T> implements AsyncIterable<T> {
  readonly #backlog: T[] = [];
  #wake: (() => void) | null = null;
  #closed = false;

  push = (value: T): void => {
    if (this.#closed) return;
    this.#backlog.push(value);
    this.#wake?.();
  };

  close = (): void => {
    this.#closed = true;
    this.#wake?.();
  };

  /** Takes, without waiting, the values at the head of the backlog that `match`. */
  takeWhile(match: (value: T) => boolean): T[] {
    let n = 0;
    while (n < this.#backlog.length && match(this.#backlog[n]!)) n++;
    return this.#backlog.splice(0, n);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.#backlog.length > 0) {
        yield this.#backlog.shift()!;
        continue;
      }
      if (this.#closed) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = null;
    }
  }
}
