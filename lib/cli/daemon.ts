/** `mycoswarm daemon`: serve this node's API on the LAN until SIGINT or SIGTERM. */

import { createError, ERROR_CODES } from "../core/mod.ts";
import { parseCommandArgs, stringFlag } from "./_args.ts";
import { systemLogger } from "./_logger.ts";
import { startNodeService } from "./_node_service.ts";
import { startChatService } from "./_chat_service.ts";
import { startDiscovery } from "./_discovery.ts";
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

/** How long open requests may take to finish once the daemon is told to stop. */
const SHUTDOWN_GRACE_MS = 5_000;

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
    const portFlag = stringFlag("daemon", args.values, "port");
    const port = portFlag === undefined ? config.daemon.port : parsePort(portFlag);
    const bind = stringFlag("daemon", args.values, "bind") ?? config.daemon.bind;
    const logger = systemLogger(ctx);
    const node = await startNodeService(config, ctx, logger);

    let server: Deno.HttpServer<Deno.NetAddr>;
    try {
      server = Deno.serve({ port, hostname: bind, onListen() {} }, node.app.fetch);
    } catch (error) {
      await node.close();
      ctx.stderr.write(`mycoswarm: ${listenError(error, bind, port)}\n`);
      return ERROR_CODES.internal.exit;
    }
    const stopped = Promise.withResolvers<string>();
    const stopListening = onShutdownSignal(ctx, stopped.resolve);
    const me = node.identity.current();
    const { hostname, port: actual } = server.addr;
    const host = hostname.includes(":") ? `[${hostname}]` : hostname;
    // Commands on this machine (swarm, ping, ask, ...) find the daemon here, whatever its
    // port. Written before the "listening" line, so whoever waits for that line finds it.
    const localHost = bind === "0.0.0.0" || bind === "::" ? "127.0.0.1" : host;
    const localUrl = `http://${localHost}:${actual}`;
    await Deno.writeTextFile(config.paths.daemonUrlFile, `${localUrl}\n`)
      .catch((error) => logger.warn(`could not write ${config.paths.daemonUrlFile}: ${error}`));
    const chat = await startChatService(config, ctx, node, localUrl, logger);
    node.serveChat(chat.service);
    ctx.stdout.write(
      `mycoswarm daemon ${me.node_id} (${me.node_tier}) listening on http://${host}:${actual}\n` +
        `swarm token: ${node.token.path}${node.token.created ? " (created now)" : ""}; ` +
        "`mycoswarm token` prints it, `mycoswarm join <token>` adds another node\n",
    );
    node.identity.start();
    const discovery = await startDiscovery(node, { config, ctx, logger, port: actual, bind });

    const signal = await stopped.promise;
    ctx.stdout.write(`${signal}: stopping\n`);
    // The server stops accepting at once; closing the node ends running tasks, and with
    // them their streams, so the open requests can finish.
    // The goodbye goes out first, so peers see us leave at once, not after a timeout.
    // Open conversations are reflected on while the swarm is still there to answer.
    await chat.close();
    await discovery.close();
    const finished = Promise.all([server.shutdown(), node.close()]);
    let grace: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        finished,
        new Promise((resolve) => (grace = setTimeout(resolve, SHUTDOWN_GRACE_MS))),
      ]);
    } finally {
      clearTimeout(grace);
      stopListening();
    }
    await Deno.remove(config.paths.daemonUrlFile).catch(() => {});
    ctx.stdout.write("stopped\n");
    return 0;
  },
};

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535) {
    throw createError(
      "usage",
      `daemon: --port must be a port number from 0 to 65535 (0 picks a free one), not '${value}'`,
    );
  }
  return port;
}

function listenError(error: unknown, bind: string, port: number): string {
  const where = `${bind}:${port}`;
  if (error instanceof Deno.errors.AddrInUse) {
    return `port ${port} on ${bind} is already in use (another mycoswarm daemon?): ` +
      "stop it, or pick another port with --port";
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return `not allowed to listen on ${where}: use a port above 1023 with --port`;
  }
  const why = error instanceof Error ? error.message : String(error);
  return `cannot listen on ${where}: ${why} (check --bind; it must be an address of this machine)`;
}
