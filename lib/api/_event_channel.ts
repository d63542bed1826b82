/** A tiny async queue: synchronous producers push, one consumer iterates until closed. */

/** Values pushed in order; iteration ends after `close()` once the backlog is drained. */
export class EventChannel<T> implements AsyncIterable<T> {
  readonly #backlog: T[] = [];
  #wake: (() => void) | null = null;
  #pushed: ((value: T | null) => void) | null = null;
  #closed = false;

  push = (value: T): void => {
    if (this.#closed) return;
    this.#backlog.push(value);
    this.#pushed?.(value);
    this.#wake?.();
  };

  close = (): void => {
    this.#closed = true;
    this.#pushed?.(null);
    this.#wake?.();
  };

  /**
   * Resolves at the next turn of the event loop (once pending I/O callbacks have run and
   * pushed what they had), or sooner when a value matching `last` is pushed or the channel
   * closes. One waiter at a time.
   */
  nextTurnOr(last: (value: T) => boolean): Promise<void> {
    if (this.#closed || this.#backlog.some(last)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#pushed = null;
        resolve();
      };
      const timer = setTimeout(done, 0);
      this.#pushed = (value) => {
        if (value === null || last(value)) done();
      };
    });
  }

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
