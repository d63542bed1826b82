/** Reads lines one at a time from a byte stream (the terminal, a pipe). */

/** Hands out input lines; `null` means the input ended (Ctrl-D or end of file). */
export class LineReader {
  readonly #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";
  #done = false;

  /** Reads `input` as UTF-8 text. */
  constructor(input: ReadableStream<Uint8Array>) {
    this.#reader = input.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** The next line without its line ending, or null at the end of input. */
  async next(): Promise<string | null> {
    while (true) {
      const newline = this.#buffer.indexOf("\n");
      if (newline >= 0) {
        const line = this.#buffer.slice(0, newline).replace(/\r$/, "");
        this.#buffer = this.#buffer.slice(newline + 1);
        return line;
      }
      if (this.#done) {
        if (this.#buffer === "") return null;
        const last = this.#buffer;
        this.#buffer = "";
        return last;
      }
      const { value, done } = await this.#reader.read();
      if (done) this.#done = true;
      else this.#buffer += value;
    }
  }

  /** Stops reading and lets go of the input. */
  async close(): Promise<void> {
    this.#done = true;
    await this.#reader.cancel().catch(() => {});
  }
}
