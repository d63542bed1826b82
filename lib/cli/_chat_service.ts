/**
 * The daemon's conversation service (`/v1/chat/completions`): the chat pipeline over this
 * node's memory, answering through the daemon's own router — so inference goes to the
 * node of the swarm that fits, web searches to idle light nodes — with idle sessions
 * ended (and reflected on) every minute, and every open one at shutdown.
 */

import { ApiChatService, TranscriptStore, type TurnContext } from "../chat/mod.ts";
import type { Config } from "../config/mod.ts";
import type { Logger } from "../core/mod.ts";
import type { ModelClient } from "../llm/mod.ts";
import { embedderFor } from "./_embedder.ts";
import { nodeRunTask } from "../orchestrator/mod.ts";
import { daemonGetter } from "./_daemon.ts";
import { DaemonModelClient } from "./_daemon_model_client.ts";
import { openTurnContext } from "./_memory.ts";
import type { NodeService } from "./_node_service.ts";
import type { CliContext } from "./context.ts";

/** How often idle sessions are looked for. */
const SWEEP_MS = 60_000;
/** How long the reflections of open sessions may take when the daemon stops. */
const SHUTDOWN_REFLECTION_MS = 30_000;

/** The running service; `close()` reflects on the open sessions, then releases memory. */
export interface ChatService {
  service: ApiChatService;
  close(): Promise<void>;
}

/**
 * A daemon that started before its model server (or before `ollama pull nomic-embed-text`)
 * recalls by keywords only; this looks again, and switches memory to meaning once the
 * embedding model is there.
 */
async function findEmbedderLate(
  turns: TurnContext,
  client: ModelClient,
  logger: Logger,
): Promise<void> {
  if (turns.embedder !== null) return;
  client.refresh();
  const { embedder } = await embedderFor(client);
  if (embedder === null) return;
  turns.useEmbedder(embedder);
  logger.info(`chat API: embedding model ${embedder.model} found; recall searches by meaning`);
}

/** Starts the service for the daemon listening at `url` (this machine's address of it). */
export async function startChatService(
  config: Config,
  ctx: CliContext,
  node: NodeService,
  url: string,
  logger: Logger,
): Promise<ChatService> {
  const token = node.token.value;
  const self = {
    url,
    token,
    get identity() {
      return node.identity.current();
    },
    get: daemonGetter(url, token, ctx),
  };
  const client = new DaemonModelClient(config, ctx, self, (note) => logger.info(note));
  const runTask = nodeRunTask(url, { fetch: ctx.fetch, token }, "web_unavailable");
  const turns = await openTurnContext(config, ctx, client, { runTask });
  const service = new ApiChatService({
    turns,
    client,
    transcripts: new TranscriptStore(config.paths.sessionsDir),
    clock: ctx.clock,
    logger,
  });
  let sweeping: Promise<unknown> = Promise.resolve();
  const sweep = setInterval(() => {
    sweeping = sweeping.then(async () => {
      await service.closeIdle();
      await findEmbedderLate(turns, client, logger);
    }).catch((error) =>
      logger.warn(`chat API: upkeep (idle sessions, embedding model) failed: ${error}`)
    );
  }, SWEEP_MS);
  return {
    service,
    async close() {
      node.serveChat(null); // no new conversations: the routes answer 503 from now on
      clearInterval(sweep);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const gaveUp = new Promise<"late">((resolve) =>
        timer = setTimeout(() => resolve("late"), SHUTDOWN_REFLECTION_MS)
      );
      const reflected = sweeping.then(() => service.closeAll());
      const done = await Promise.race([reflected, gaveUp]);
      clearTimeout(timer);
      if (done === "late") {
        // The reflections still running keep the database; the process ends anyway.
        logger.warn("chat API: stopped before every open session was reflected on");
        return;
      }
      turns[Symbol.dispose]();
    },
  };
}
