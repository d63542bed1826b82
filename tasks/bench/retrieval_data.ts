/**
 * Deterministic synthetic library for the retrieval benchmark: chunks of ~120 words drawn
 * from a Zipf-like vocabulary whose head is real English stop words, grouped into topics and
 * subtopics; each chunk's 768-dimension vector sits near its topic's and subtopic's centroid,
 * so the words and the vector agree on what a chunk is about. Chunk `i` is always the same,
 * whatever batch it is generated in, so separate processes see the same library.
 */

import { seededRandom } from "../../lib/core/mod.ts";

/** Dimensions of the benchmark vectors (nomic-embed-text's). */
export const DIMENSIONS = 768;
const TOPICS = 500;
const SUBTOPICS = 10;
const CONTENT_WORDS = 30_000;
const TOPIC_WORDS = 300;
const SUBTOPIC_WORDS = 30;
const WORDS_PER_CHUNK = 120;
/** Vector mix: topic centroid, subtopic centroid, per-chunk noise. */
const MIX = { topic: 0.5, subtopic: 0.4, noise: 0.75 } as const;

const HEAD = ("the of and to a in is it you that he was for on are with as i his they be at one " +
  "have this from or had by not but what some we can out other were all there when up use your " +
  "how said an each she which do their time if will way about many then them would write like so " +
  "these her long make thing see him two has look more day could go come did number sound no most")
  .split(" ");

function zipfCdf(n: number, s = 1): Float64Array {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) cdf[r] = sum += 1 / Math.pow(r + 1, s);
  for (let r = 0; r < n; r++) cdf[r] = cdf[r]! / sum;
  return cdf;
}

function sample(cdf: Float64Array, u: number): number {
  let lo = 0, hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function pseudoWords(count: number, random: () => number): string[] {
  const onsets = "b c d f g h j k l m n p r s t v w z br cr dr gr pl st tr ch sh th".split(" ");
  const vowels = "a e i o u ai ea io ou".split(" ");
  const seen = new Set<string>(HEAD);
  const words: string[] = [];
  for (let guard = 0; words.length < count && guard < count * 50; guard++) {
    let w = "";
    const syllables = 2 + Math.floor(random() * 3);
    for (let s = 0; s < syllables; s++) {
      w += onsets[Math.floor(random() * onsets.length)]! + vowels[Math.floor(random() * 9)]!;
    }
    if (!seen.has(w)) seen.add(w), words.push(w);
  }
  return words;
}

function unitVectors(count: number, random: () => number): Float32Array {
  const out = new Float32Array(count * DIMENSIONS);
  for (let i = 0; i < out.length; i++) out[i] = random() * 2 - 1;
  for (let r = 0; r < count; r++) normalise(out.subarray(r * DIMENSIONS, (r + 1) * DIMENSIONS));
  return out;
}

function normalise(v: Float32Array): void {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!;
  const inv = 1 / Math.sqrt(norm || 1);
  for (let i = 0; i < v.length; i++) v[i] = v[i]! * inv;
}

/** One chunk or query of the synthetic library. */
export interface SyntheticItem {
  id: number;
  text: string;
  vector: Float32Array;
}

/** The synthetic library's fixed tables (vocabulary, topic words, centroids). */
export class SyntheticLibrary {
  readonly #words: string[];
  readonly #globalCdf: Float64Array;
  readonly #topicCdf = zipfCdf(TOPIC_WORDS);
  readonly #topicWords: Uint32Array;
  readonly #subtopicWords: Uint32Array;
  readonly #topicCentroids: Float32Array;
  readonly #subtopicCentroids: Float32Array;

  constructor(seed = 42) {
    const random = seededRandom(seed);
    this.#words = [...HEAD, ...pseudoWords(CONTENT_WORDS, random)];
    this.#globalCdf = zipfCdf(this.#words.length);
    const contentIndex = () => HEAD.length + Math.floor(random() * CONTENT_WORDS);
    this.#topicWords = Uint32Array.from({ length: TOPICS * TOPIC_WORDS }, contentIndex);
    this.#subtopicWords = Uint32Array.from(
      { length: TOPICS * SUBTOPICS * SUBTOPIC_WORDS },
      contentIndex,
    );
    this.#topicCentroids = unitVectors(TOPICS, random);
    this.#subtopicCentroids = unitVectors(TOPICS * SUBTOPICS, random);
  }

  /** Chunk number `id` (ids from 1, like SQLite rowids). */
  chunk(id: number): SyntheticItem {
    const random = seededRandom(id * 2654435761);
    const topic = Math.floor(random() * TOPICS);
    const sub = topic * SUBTOPICS + Math.floor(random() * SUBTOPICS);
    const words: string[] = [];
    for (let w = 0; w < WORDS_PER_CHUNK; w++) {
      const u = random();
      words.push(
        u < 0.4
          ? this.#words[sample(this.#globalCdf, random())]!
          : u < 0.85
          ? this.#topicWord(topic, random())
          : this.#subtopicWord(sub, random()),
      );
    }
    return { id, text: words.join(" "), vector: this.#vector(topic, sub, random) };
  }

  /** Query number `n`: 3–5 words about one subtopic, one stop word, and a nearby vector. */
  query(n: number): SyntheticItem {
    const random = seededRandom(0x9e3779b9 ^ (n * 7919));
    const topic = Math.floor(random() * TOPICS);
    const sub = topic * SUBTOPICS + Math.floor(random() * SUBTOPICS);
    const words = [HEAD[Math.floor(random() * 10)]!];
    const topicTerms = 2 + Math.floor(random() * 2);
    for (let i = 0; i < topicTerms; i++) words.push(this.#topicWord(topic, random()));
    words.push(this.#subtopicWord(sub, random()));
    return { id: -n, text: words.join(" "), vector: this.#vector(topic, sub, random) };
  }

  #topicWord(topic: number, u: number): string {
    return this.#words[this.#topicWords[topic * TOPIC_WORDS + sample(this.#topicCdf, u)]!]!;
  }

  #subtopicWord(sub: number, u: number): string {
    const k = Math.floor(u * SUBTOPIC_WORDS);
    return this.#words[this.#subtopicWords[sub * SUBTOPIC_WORDS + k]!]!;
  }

  #vector(topic: number, sub: number, random: () => number): Float32Array {
    const v = new Float32Array(DIMENSIONS);
    const t = topic * DIMENSIONS, s = sub * DIMENSIONS;
    const noise = MIX.noise * Math.sqrt(3 / DIMENSIONS); // uniform(-1,1) has variance 1/3
    for (let i = 0; i < DIMENSIONS; i++) {
      v[i] = MIX.topic * this.#topicCentroids[t + i]! +
        MIX.subtopic * this.#subtopicCentroids[s + i]! +
        noise * (random() * 2 - 1);
    }
    normalise(v);
    return v;
  }
}
