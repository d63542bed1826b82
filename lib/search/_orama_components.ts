/**
 * Orama components that keep only what BM25 needs (Orama's `components` option).
 *
 * - The index is Orama's own (radix tree, token document counts, field lengths, its BM25
 *   scoring via `calculateResultScores`), minus its per-document term-frequency objects:
 *   Orama feeds BM25 a length-normalised tf (count / length, about 0.01 for a chunk), which
 *   moves a chunk's score by a few percent at k = 1.2, while those objects cost ~450 MB and a
 *   ~15 s JSON parse at 100,000 chunks. With no stored tf Orama scores tf = 0: IDF, length
 *   normalisation and BM25+'s δ. Lookups are exact terms, walked down the radix tree (Orama's
 *   own `find` collects prefix matches and de-duplicates postings in quadratic time).
 * - The documents store holds no text (it lives in SQLite), only each document's distinct
 *   tokens joined by spaces: what Orama's `remove` re-tokenises to take a document out.
 */

import { components } from "@orama/orama";
import type {
  AnyDocument,
  BM25Params,
  IDocumentsStore,
  IIndex,
  Tokenizer,
  TokenScore,
} from "@orama/orama";

const oramaIndex = components.index;
type Index = components.index.Index;
type IdStore = components.internalDocumentIDStore.InternalDocumentIDStore;
type DocumentID = components.internalDocumentIDStore.DocumentID;
type InternalDocumentID = components.internalDocumentIDStore.InternalDocumentID;

/** The fields of Orama's radix-tree node that an exact lookup reads. */
interface RadixNode {
  c: Map<string, RadixNode>;
  s: string;
  e: boolean;
  d: Set<InternalDocumentID>;
}

/** State shared by the two components of one index: each document's distinct tokens. */
export interface LeanState {
  /** Internal document id → its distinct tokens, space-joined. */
  tokens: Map<InternalDocumentID, string>;
}

interface LeanDocs {
  docs: Record<InternalDocumentID, AnyDocument>;
  ids: IdStore;
}

function internalId(store: IdStore, id: DocumentID): InternalDocumentID {
  return components.internalDocumentIDStore.getInternalDocumentId(store, id);
}

/** The node of exactly `term` in Orama's radix tree, if any. */
function exactNode(root: RadixNode, term: string): RadixNode | undefined {
  let node = root;
  let i = 0;
  while (i < term.length) {
    const child = node.c.get(term[i]!);
    if (!child || !term.startsWith(child.s, i)) return undefined;
    i += child.s.length;
    node = child;
  }
  return node.e ? node : undefined;
}

/** Orama's index component with no term-frequency objects and exact-term lookups. */
export function leanIndex(state: LeanState): IIndex<Index> {
  const base = oramaIndex.createIndex();
  return {
    ...base,
    insertDocumentScoreParameters(index, prop, id, tokens, docsCount) {
      const doc = internalId(index.sharedInternalDocumentStore, id);
      const avg = index.avgFieldLength[prop] ?? 0;
      index.avgFieldLength[prop] = (avg * (docsCount - 1) + tokens.length) / docsCount;
      index.fieldLengths[prop]![doc] = tokens.length;
      state.tokens.set(doc, tokens.join(" "));
    },
    insertTokenScoreParameters(index, prop, _id, _tokens, token) {
      const occurrences = index.tokenOccurrences[prop]!;
      occurrences[token] = (occurrences[token] ?? 0) + 1;
    },
    removeDocumentScoreParameters(index, prop, id, docsCount) {
      const doc = internalId(index.sharedInternalDocumentStore, id);
      const length = index.fieldLengths[prop]![doc] ?? 0;
      index.avgFieldLength[prop] = docsCount > 1
        ? (index.avgFieldLength[prop]! * docsCount - length) / (docsCount - 1)
        : 0;
      index.fieldLengths[prop]![doc] = undefined;
    },
    search(
      index,
      term: string,
      tokenizer: Tokenizer,
      language: string | undefined,
      properties: string[],
      _exact: boolean,
      _tolerance: number,
      boost: Partial<Record<string, number>>,
      relevance: Required<BM25Params>,
      docsCount: number,
      where: Set<InternalDocumentID> | undefined,
    ): TokenScore[] {
      const lean = index as Index;
      const tokens = tokenizer.tokenize(term, language);
      const scores = new Map<number, number>();
      const matches = new Map<InternalDocumentID, Map<string, number>>();
      for (const prop of properties) {
        const tree = lean.indexes[prop];
        if (tree?.type !== "Radix") continue;
        for (const token of tokens) {
          const node = exactNode(tree.node as unknown as RadixNode, token);
          if (!node || node.d.size === 0) continue;
          const ids = Array.from(node.d);
          oramaIndex.calculateResultScores(
            lean,
            prop,
            token,
            ids,
            docsCount,
            relevance,
            scores,
            boost[prop] ?? 1,
            where,
            matches,
          );
        }
      }
      return Array.from(scores).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    },
  };
}

/** A documents store keeping each document's tokens (for removal), never its text. */
export function leanDocumentsStore(state: LeanState): IDocumentsStore<LeanDocs> {
  const get = (store: LeanDocs, id: DocumentID): AnyDocument | undefined => {
    const doc = typeof id === "string" ? store.ids.idToInternalId.get(id) : id;
    const text = doc === undefined ? undefined : state.tokens.get(doc);
    return text === undefined ? undefined : { text };
  };
  return {
    create: (_orama, ids) => ({ docs: {}, ids }),
    get,
    getMultiple: (store, ids) => ids.map((id) => get(store, id)),
    getAll: () => {
      const all: Record<InternalDocumentID, AnyDocument> = {};
      for (const [doc, text] of state.tokens) all[doc] = { text };
      return all;
    },
    // A placeholder until the index component records the tokens, so the count Orama reads
    // between storing and indexing already includes the new document.
    store: (_store, _id, doc) => {
      if (state.tokens.has(doc)) return false;
      state.tokens.set(doc, "");
      return true;
    },
    remove: (_store, _id, doc) => state.tokens.delete(doc),
    count: () => state.tokens.size,
    save: <R>() => ({ ids: [...state.tokens.keys()], tokens: [...state.tokens.values()] }) as R,
    load: <R>(ids: IdStore, raw: R) => {
      const { ids: docs, tokens } = raw as { ids: number[]; tokens: string[] };
      state.tokens.clear();
      for (let i = 0; i < docs.length; i++) state.tokens.set(docs[i]!, tokens[i]!);
      return { docs: {}, ids };
    },
  };
}
