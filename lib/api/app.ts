/**
 * The node API as a Hono app: routes from sub-apps, CORS and auth middleware, one error
 * handler.
 * Only the daemon command serves it on a socket; tests call `app.request()`.
 *
 * @module
 */

import { Hono } from "hono";
import { errorHandler, notFound } from "./api_error.ts";
import { requireAuth } from "./auth.ts";
import { clientCors } from "./cors.ts";
import { chatRoutes } from "./chat_routes.ts";
import { ollamaRoutes } from "./ollama_routes.ts";
import { nodeRoutes } from "./node_routes.ts";
import { taskRoutes } from "./task_routes.ts";
import { taskStreamRoutes } from "./task_stream.ts";
import type { ApiDeps, NodeApp } from "./types.ts";

/**
 * Builds the node API.
 *
 * @example
 * ```ts
 * const app = createApp({ identity: () => node, peers, queue, token, clock: systemClock,
 *   version: VERSION, startedAt: Date.now(), load });
 * const res = await app.request("/health");
 * ```
 */
export function createApp(deps: ApiDeps): NodeApp {
  const app = new Hono();
  app.onError(errorHandler(deps.logger, deps.retryAfterSeconds));
  app.notFound(notFound);
  // CORS first: preflights carry no credentials, and errors from auth need CORS headers.
  app.use("*", clientCors(deps.corsOrigins ?? []));
  app.use("*", requireAuth(deps));
  // What Ollama answers at its root: clients (Open WebUI, Home Assistant) check it is there.
  app.get("/", (c) => c.text("Ollama is running"));
  app.route("/", nodeRoutes(deps));
  app.route("/task", taskRoutes(deps));
  app.route("/task", taskStreamRoutes(deps));
  app.route("/v1", chatRoutes(deps));
  app.route("/api", ollamaRoutes(deps));
  return app;
}
