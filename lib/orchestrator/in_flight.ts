/** Tasks this node has in flight on each peer: the load term of the score (mycoSwarm's `inflight`). */

/** Counts per node; each begin() is undone by calling what it returns (once). */
export class InFlight {
  readonly #counts = new Map<string, number>();

  /**
   * Counts a task on `nodeId`.
   *
   * @returns the release function; calling it more than once does nothing
   */
  begin(nodeId: string): () => void {
    this.#counts.set(nodeId, this.count(nodeId) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.count(nodeId) - 1;
      if (left > 0) this.#counts.set(nodeId, left);
      else this.#counts.delete(nodeId);
    };
  }

  /** Tasks in flight on `nodeId`. */
  count(nodeId: string): number {
    return this.#counts.get(nodeId) ?? 0;
  }
}
