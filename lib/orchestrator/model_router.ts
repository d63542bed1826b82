/**
 * The drop-in routes' router: a client's request for a named model (`/api/chat`,
 * `/v1/embeddings`, ...) goes, unchanged, to a node that has the model ({@linkcode
 * placeModel}) — this node's model server, or a peer's node API marked as a hop, which
 * answers from its own — and the answer streams back unchanged. Up to three nodes are tried
 * while none has answered; once an answer began nothing is retried, and a node that dies
 * mid-answer ends the stream with an error the caller words in its wire format.
 *
 * @module
 */

import { type Clock, createError, type Fetch, isMycoError, type Logger } from "../core/mod.ts";
import type { PeerTable } from "../discovery/mod.ts";
import type { InFlight } from "./in_flight.ts";
import { placeModel } from "./model_placement.ts";
import { forwardToNode } from "./node_client.ts";
import { type NodeFacts, peerFacts } from "./node_facts.ts";
import type { ScoredNode } from "./scoring.ts";
import { withEnd } from "./_relay_body.ts";

/** A request for a model, as the route read it. */
export interface ModelRequest {
  /** The HTTP method, as the client sent it. */
  method: string;
  /** The body text, forwarded as is. */
  body?: string | undefined;
  /** The client went away: stop. */
  signal?: AbortSignal | undefined;
}

/** What {@linkcode ModelRouter} routes with. */
export interface ModelRouterOptions {
  /** The peers, with what they announce (their models). */
  peers: PeerTable;
  /** This node: its facts, and its model server behind `serve`. */
  local: {
    facts(): NodeFacts;
    serve(path: string, request: ModelRequest): Promise<Response>;
  };
  /** The swarm token, for peers' node APIs. */
  token: string;
  /** Reaches peers. */
  fetch: Fetch;
  /** Ages what nodes said they have loaded. */
  clock: Clock;
  /** Requests in flight per node, shared with the task router so both see the same load. */
  inFlight: InFlight;
  /** Where failed attempts are told (debug). */
  logger?: Logger | undefined;
  /** How long a node's list of loaded models is trusted. @default 5000 */
  loadedTtlMs?: number;
  /** Conversations remembered for affinity. @default 1000 */
  maxConversations?: number;
}

/** A forwarded request's answer, and the node that gives it. */
export interface ForwardedAnswer {
  /** The answer as the node's model server wrote it, streamed. */
  response: Response;
  /** The node that answers. */
  node: NodeFacts;
}

/** Most nodes tried for one request, as for tasks (the Python mycoSwarm's 3). */
const MAX_ATTEMPTS = 3;
/** How long a node may take to say what it has loaded: placement never waits longer. */
const LOADED_TIMEOUT_MS = 1_000;
/** How long what a model can do is trusted: it changes only when the model is pulled again. */
const CAPABILITIES_TTL_MS = 10 * 60_000;
/** Capabilities remembered at most (models × nodes of a home swarm is far below). */
const MAX_CAPABILITIES = 1_000;

/** Routes requests for named models across the swarm. */
export class ModelRouter {
  readonly #options: ModelRouterOptions;
  readonly #loaded = new Map<string, { at: number; models: Set<string> }>();
  readonly #asking = new Set<string>();
  readonly #conversations = new Map<string, string>();
  readonly #capabilities = new Map<string, { at: number; caps: string[] | null }>();

  /** Knows nothing yet: loaded models, capabilities and conversations are learned as it goes. */
  constructor(options: ModelRouterOptions) {
    this.#options = options;
  }

  /** Every node that may serve a request now: this node first, then the peers. */
  nodes(): NodeFacts[] {
    const peers = this.#options.peers.peers().map(peerFacts).filter((n) => n !== null);
    return [this.#options.local.facts(), ...peers];
  }

  /**
   * The nodes that can serve `model`, best first; empty when none has it. Loaded models are
   * what the nodes said last (asked again in the background when older than the TTL).
   */
  place(model: string, conversation: string | null = null): ScoredNode[] {
    const nodes = this.nodes();
    this.#refreshLoaded(nodes);
    return placeModel(model, nodes, {
      inFlight: (id) => this.#options.inFlight.count(id),
      loaded: (id) => this.#loaded.get(id)?.models,
      previous: conversation === null ? null : this.#conversations.get(conversation) ?? null,
    });
  }

  /**
   * Sends the request to the best node for `model` and returns its answer as that node's
   * server wrote it. A node that cannot be reached (or whose model server cannot) is
   * passed over for the next, at most three; any answer — an error status too — is
   * returned as it is.
   *
   * @param streamError the last piece of a stream whose node died mid-answer, in the
   *   caller's wire format
   * @returns null when no node has the model
   * @throws the last node's error when every node tried failed to answer
   */
  async forward(
    model: string,
    path: string,
    request: ModelRequest,
    options: {
      conversation?: string | null;
      /** Capabilities the model must have for this request (`tools`, `vision`), per `/api/show`. */
      needs?: readonly string[];
      streamError?: (node: NodeFacts, error: unknown) => string;
    } = {},
  ): Promise<ForwardedAnswer | null> {
    const conversation = options.conversation ?? null;
    const placed = this.place(model, conversation);
    if (placed.length === 0) return null;
    const candidates = (await this.#able(placed.map((c) => c.node), model, options.needs ?? []))
      .slice(0, MAX_ATTEMPTS);
    let lastError: unknown = null;
    for (const node of candidates) {
      // A peer that loses power closes no connection: the peer table declaring it dead or
      // gone stops the request, before or during its answer, so nothing waits for ever.
      const lost = new AbortController();
      const stopWatching = node.local ? () => {} : this.#options.peers.on(({ type, peer }) => {
        if (peer.nodeId !== node.nodeId || (type !== "dead" && type !== "leave")) return;
        lost.abort(new Error(`${node.hostname} ${type === "dead" ? "stopped answering" : "left"}`));
      });
      const releaseCount = this.#options.inFlight.begin(node.nodeId);
      const release = () => (releaseCount(), stopWatching());
      const signal = request.signal ? AbortSignal.any([request.signal, lost.signal]) : lost.signal;
      let response: Response;
      try {
        response = await this.#send(node, path, { ...request, signal });
      } catch (error) {
        release();
        if (request.signal?.aborted) throw error;
        lastError = lost.signal.aborted ? lost.signal.reason : error;
        this.#options.logger?.debug(`${path} for ${model}: ${node.hostname} failed: ${error}`);
        continue;
      }
      if (!node.local && (response.status === 502 || response.status === 503)) {
        // The peer's node API answered for a model server it could not reach: next node.
        lastError = new Error(`${node.hostname}: ${await response.text().catch(() => "")}`);
        release();
        continue;
      }
      if (conversation !== null) this.#remember(conversation, node.nodeId);
      const lastWords = (error: unknown) =>
        options.streamError?.(node, lost.signal.aborted ? lost.signal.reason : error);
      return { response: withEnd(response, release, lastWords), node };
    }
    if (isMycoError(lastError)) throw lastError;
    const why = lastError instanceof Error ? lastError.message : String(lastError);
    throw createError(
      "swarm_unavailable",
      `No node that has ${model} answered (${
        candidates.map((n) => n.hostname).join(", ")
      }): ${why}`,
      { cause: lastError },
    );
  }

  /**
   * The nodes among `nodes` whose `model` has every capability in `needs` (a node that does
   * not say — a server without `/api/show` — is given the benefit of the doubt).
   *
   * @throws MycoError `invalid_input` (field `model`) naming the model and what it lacks
   *   when no node's copy has the capabilities
   */
  async #able(nodes: NodeFacts[], model: string, needs: readonly string[]): Promise<NodeFacts[]> {
    if (needs.length === 0) return nodes;
    const known = await Promise.all(nodes.map((node) => this.capabilitiesOf(node, model)));
    const able = nodes.filter((_, i) => {
      const caps = known[i];
      return caps === null || caps === undefined || needs.every((need) => caps.includes(need));
    });
    if (able.length === 0) {
      const lacking = needs.filter((need) => known.every((caps) => caps && !caps.includes(need)));
      throw createError(
        "invalid_input",
        `model '${model}' cannot take this request: it has no ${lacking.join(" or ")} ` +
          `capability on any node (it has: ${[...new Set(known.flat())].join(", ")})`,
        { field: "model" },
      );
    }
    return able;
  }

  /**
   * What `model` can do on `node`, as its `/api/show` says (`completion`, `tools`,
   * `vision`, ...); null when it does not say. Kept for ten minutes: a model's
   * capabilities change only when it is pulled again.
   */
  async capabilitiesOf(node: NodeFacts, model: string): Promise<string[] | null> {
    const key = `${node.nodeId}\u0000${model}`;
    const now = this.#options.clock.now();
    const cached = this.#capabilities.get(key);
    if (cached !== undefined && now - cached.at < CAPABILITIES_TTL_MS) return cached.caps;
    let caps: string[] | null = null;
    try {
      const response = await this.#send(node, "/api/show", {
        method: "POST",
        body: JSON.stringify({ model }),
        signal: AbortSignal.timeout(LOADED_TIMEOUT_MS * 3),
      });
      if (response.ok) {
        const body = await response.json() as { capabilities?: unknown };
        if (Array.isArray(body.capabilities)) {
          caps = body.capabilities.filter((c): c is string => typeof c === "string");
        }
      } else await response.body?.cancel();
    } catch {
      // unknown: the request may still work
    }
    if (this.#capabilities.size >= MAX_CAPABILITIES) this.#capabilities.clear(); // bounded memory
    this.#capabilities.set(key, { at: now, caps });
    return caps;
  }

  /**
   * Sends the request to `node` as it is (a pull to the node that should hold the model).
   *
   * @throws whatever reaching the node throws
   */
  sendTo(node: NodeFacts, path: string, request: ModelRequest): Promise<Response> {
    return this.#send(node, path, request);
  }

  /** Serves the request from this node's own model server (a hop from a peer lands here). */
  serveHere(path: string, request: ModelRequest): Promise<Response> {
    return this.#options.local.serve(path, request);
  }

  #send(node: NodeFacts, path: string, request: ModelRequest): Promise<Response> {
    if (node.local || node.url === null) return this.#options.local.serve(path, request);
    return forwardToNode(node.url, path, request, {
      fetch: this.#options.fetch,
      token: this.#options.token,
      signal: request.signal,
    });
  }

  #remember(conversation: string, nodeId: string): void {
    this.#conversations.delete(conversation); // re-inserted last: the map is in use order
    this.#conversations.set(conversation, nodeId);
    const max = this.#options.maxConversations ?? 1000;
    for (const key of this.#conversations.keys()) {
      if (this.#conversations.size <= max) break;
      this.#conversations.delete(key);
    }
  }

  /** Asks the nodes whose list of loaded models is stale, in the background. */
  #refreshLoaded(nodes: readonly NodeFacts[]): void {
    const now = this.#options.clock.now();
    const ttl = this.#options.loadedTtlMs ?? 5_000;
    for (const node of nodes) {
      const known = this.#loaded.get(node.nodeId);
      if (node.state === "dead" || node.state === "left") continue;
      if ((known !== undefined && now - known.at < ttl) || this.#asking.has(node.nodeId)) continue;
      this.#asking.add(node.nodeId);
      this.loadedOn(node).then((models) => {
        if (models !== null) {
          this.#loaded.set(node.nodeId, { at: this.#options.clock.now(), models });
        }
      }).finally(() => this.#asking.delete(node.nodeId));
    }
  }

  /**
   * What `node`'s model server has loaded now, as its `/api/ps` lists it; null when it does
   * not say within a second (a server without `/api/ps`, a node gone).
   */
  async psOf(node: NodeFacts): Promise<Record<string, unknown>[] | null> {
    try {
      const response = await this.#send(node, "/api/ps", {
        method: "GET",
        signal: AbortSignal.timeout(LOADED_TIMEOUT_MS),
      });
      if (!response.ok) {
        await response.body?.cancel();
        return null;
      }
      const body = await response.json() as { models?: unknown };
      return Array.isArray(body.models)
        ? body.models.filter((m): m is Record<string, unknown> =>
          typeof m === "object" && m !== null
        )
        : [];
    } catch {
      return null;
    }
  }

  /** The names of the models loaded on `node`; null when it does not say. */
  async loadedOn(node: NodeFacts): Promise<Set<string> | null> {
    const models = await this.psOf(node);
    if (models === null) return null;
    const names = models.map((m) => m.name ?? m.model).filter((n) => typeof n === "string");
    return new Set(names as string[]);
  }
}
