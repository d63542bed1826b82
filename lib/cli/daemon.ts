/** `mycoswarm daemon`: serve this node's API on the LAN until SIGINT or SIGTERM. */

import { guardedServe, startNode } from "../daemon/mod.ts";
import { intFlag, parseCommandArgs, stringFlag } from "./_args.ts";
import { configFor } from "./_setup.ts";
import { onShutdownSignal } from "./_signals.ts";
import type { Command } from "./context.ts";

const HELP = `Usage: mycoswarm daemon [--port N] [--bind ADDR]

Runs this node: detects it, creates the swarm token on first start (mode 0600,
in $MYCOSWARM_HOME/swarm-token), and serves the node API until Ctrl-C or SIGTERM.
Every route but GET /health needs the token (X-Swarm-Token or Authorization: Bearer).

Options:
  -p, --port N      port to listen on (default 7890, or [daemon] port / MYCOSWARM_PORT;
                    0 picks a free port, printed at start)
  -b, --bind ADDR   address to listen on (default 0.0.0.0, every interface;
                    127.0.0.1 keeps the API on this machine)
  -h, --help        show this help

Peers are found with mDNS (_mycoswarm._tcp.local, announcements signed with
the token); where multicast cannot work, list them in MYCOSWARM_PEERS=host:port,...
or [daemon] peers = ["host:port"] in config.toml.

Routes: GET /health, /identity, /peers, /status; POST /task; GET /task/:id,
/task/:id/stream (Server-Sent Events); DELETE /task/:id (cancel). Chat for home
automation and scripts, through the whole pipeline (memory, documents, web):
OpenAI's POST /v1/chat/completions, GET /v1/models, and Ollama's POST /api/chat,
GET /api/tags. X-Mycoswarm-Session names a conversation; it is reflected on when
closed (POST /v1/sessions/ID/close), after 30 idle minutes, or at shutdown.
See the README for examples.
`;

export const daemonCommand: Command = {
  name: "daemon",
  help: HELP,
  async run(argv, ctx) {
    const args = parseCommandArgs("daemon", argv, {
      port: { type: "string", short: "p" },
      bind: { type: "string", short: "b" },
    });
    if (args.help) {
      ctx.stdout.write(HELP);
      return 0;
    }
    const config = await configFor(ctx);
    const port = intFlag("daemon", args.values, "port", {
      min: 0,
      max: 65535,
      default: config.daemon.port,
    });
    const bind = stringFlag("daemon", args.values, "bind") ?? config.daemon.bind;
    const stopped = Promise.withResolvers<string>();
    const stopListening = onShutdownSignal(ctx, stopped.resolve);
    // The last resort: a promise rejected with nobody waiting (a bug, or a library's) is
    // logged, not allowed to end a node that other machines and clients rely on.
    const survive = (event: PromiseRejectionEvent | ErrorEvent) => {
      event.preventDefault();
      const why = "reason" in event ? event.reason : event.error;
      ctx.logger.error(`daemon: unhandled ${event.type}: ${why?.stack ?? why}`);
    };
    globalThis.addEventListener("unhandledrejection", survive);
    globalThis.addEventListener("error", survive);
    try {
      const node = await startNode(config, ctx, { port, bind, serve: guardedServe });
      const me = node.identity.current();
      ctx.stdout.write(
        `mycoswarm daemon ${me.node_id} (${me.node_tier}) listening on ${node.url}\n` +
          `swarm token: ${node.token.path}${node.token.created ? " (created now)" : ""}; ` +
          "`mycoswarm token` prints it, `mycoswarm join <token>` adds another node\n",
      );
      const signal = await stopped.promise;
      ctx.stdout.write(`${signal}: stopping\n`);
      await node.close();
      ctx.stdout.write("stopped\n");
      return 0;
    } finally {
      stopListening();
      globalThis.removeEventListener("unhandledrejection", survive);
      globalThis.removeEventListener("error", survive);
    }
  },
};
