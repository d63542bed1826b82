/**
 * The one typed, frozen configuration: defaults → config file → environment →
 * flags, later sources win. Nothing outside lib/config reads the environment.
 */

import { parse as parseToml, TomlError } from "smol-toml";
import { createError } from "../core/mod.ts";
import { type DataPaths, dataPaths, defaultHome } from "./paths.ts";
import { OLLAMA_DEFAULT_PORT, parseBaseUrl, parseOllamaHost } from "./model_server_url.ts";
import { readWebSettings, type WebSettings } from "./web_settings.ts";
import { type ApiSettings, readApiSettings } from "./api_settings.ts";

/** How to talk to the model server: Ollama's native API, plain OpenAI-compatible, or probe. */
export type LlmKind = "auto" | "ollama" | "openai";

/** Everything the program can be configured with. */
export interface Config {
  /** Where the data lives, all under one home folder so a node is one folder to back up. */
  readonly paths: DataPaths;
  /** The model server and the models each role uses. */
  readonly llm: {
    /** Base URL of the model server (Ollama root, or an OpenAI-compatible base). */
    readonly url: string;
    readonly kind: LlmKind;
    /** Where `url` came from, for error messages ("OLLAMA_HOST", "config file", ...). */
    readonly urlSource: string;
    readonly apiKey: string | null;
    readonly chatModel: string | null;
    /** Where `chatModel` came from ("--model", "MYCOSWARM_MODEL", the config file), for messages. */
    readonly chatModelSource: string | null;
    readonly gateModel: string | null;
    readonly embeddingModel: string | null;
    /** Budget for short calls (listing models, probing), in ms. */
    readonly probeTimeoutMs: number;
    /**
     * `[llm] context_tokens`: the context window every chat runs in (Ollama's `num_ctx`) and
     * prompts are budgeted for. Null when not set: each model's own from Ollama, capped
     * (see lib/llm `ModelClient.contextWindow`).
     */
    readonly contextTokens: number | null;
    /**
     * `[llm] keep_alive`: how long Ollama keeps a model loaded after a call, a duration
     * ("5m", "1h") or seconds (negative: forever). Null: Ollama's default.
     */
    readonly keepAlive: string | number | null;
  };
  /** This node's own settings. */
  readonly node: {
    /** `MYCOSWARM_TIER` or `[node] tier`: overrides the detected tier. */
    readonly tier: string | null;
  };
  /** The daemon's API address and how it finds and checks peers. */
  readonly daemon: {
    readonly port: number;
    readonly bind: string;
    /** Peers to poll over HTTP where multicast cannot work (`MYCOSWARM_PEERS`), `host:port`. */
    readonly peers: readonly string[];
    /**
     * Seconds between health checks of each peer (`[daemon] heartbeat_seconds`). Three
     * failed checks in a row mark a peer dead, so a vanished node is noticed in about
     * three times this. @default 2
     */
    readonly heartbeatSeconds: number;
    /**
     * Connections the node API keeps open at once (`[daemon] max_connections`); past it new
     * ones are closed at accept. Keep it well below the process's descriptor limit
     * (`ulimit -n`, often 1024), which the daemon's files and sockets share. @default 512
     */
    readonly maxConnections: number;
    /**
     * Whether the daemon uses mDNS (`[daemon] mdns`, `MYCOSWARM_MDNS=0`). False: no
     * multicast at all, peers only from `peers`. @default true
     */
    readonly mdns: boolean;
  };
  /** Web search providers and page reading (see {@linkcode WebSettings}). */
  readonly web: WebSettings;
  /** The client routes: trusted networks, CORS, API clients' web use (see {@linkcode ApiSettings}). */
  readonly api: ApiSettings;
}

/** Values given on the command line; they win over everything else. */
export interface ConfigFlags {
  /** `--model`: the chat model for this run only. */
  model?: string | undefined;
}

/** What {@linkcode loadConfig} reads. */
export interface ConfigSources {
  /** The environment, passed in so tests never touch the real one. */
  env: Readonly<Record<string, string>>;
  /** The command-line flags, which win over everything else. */
  flags?: ConfigFlags;
  /** Reads the config file; throws Deno.errors.NotFound when there is none. */
  readFile?: (path: string) => Promise<string>;
}

/** The node tiers, strongest first; `MYCOSWARM_TIER` and `[node] tier` must name one. */
export const TIER_NAMES = ["executive", "specialist", "worker", "light", "edge"] as const;

type FieldType =
  | "string"
  | "port"
  | "seconds"
  | "kind"
  | "tier"
  | "tokens"
  | "duration"
  | "list"
  | "boolean"
  | "connections";
/** The config file's schema: section → key → type. Unknown keys are errors (typos). */
const FILE_SCHEMA: Record<string, Record<string, FieldType>> = {
  llm: {
    url: "string",
    kind: "kind",
    api_key: "string",
    chat_model: "string",
    gate_model: "string",
    embedding_model: "string",
    timeout_seconds: "seconds",
    context_tokens: "tokens",
    keep_alive: "duration",
  },
  node: { tier: "tier" },
  daemon: {
    port: "port",
    bind: "string",
    peers: "list",
    heartbeat_seconds: "seconds",
    max_connections: "connections",
    mdns: "boolean",
  },
  web: {
    searxng_url: "string",
    brave_api_key: "string",
    providers: "list",
    allow_private: "boolean",
  },
  api: { trusted_networks: "list", cors_origins: "list", web: "boolean", pull_node: "string" },
};

type FileValue = string | number | boolean | string[];
type FileValues = Record<string, Record<string, FileValue>>;

/**
 * Loads the configuration.
 *
 * @param sources the environment, flags and (for tests) a file reader
 * @returns a frozen {@linkcode Config}
 * @throws MycoError `config_invalid` naming the file, line or field at fault
 */
export async function loadConfig(sources: ConfigSources): Promise<Config> {
  const { env } = sources;
  const flags = sources.flags ?? {};
  const home = env.MYCOSWARM_HOME || defaultHome(env);
  const paths = dataPaths(home);
  const file = await readConfigFile(paths.configFile, sources.readFile ?? Deno.readTextFile);
  const llmFile = file.llm ?? {};

  let url = `http://127.0.0.1:${OLLAMA_DEFAULT_PORT}`;
  let kind: LlmKind = "ollama";
  let urlSource = "default";
  if (typeof llmFile.url === "string") {
    url = parseBaseUrl(`${paths.configFile}: llm.url`, llmFile.url);
    kind = "auto";
    urlSource = paths.configFile;
  }
  if (typeof llmFile.kind === "string") kind = llmFile.kind as LlmKind;
  if (env.OLLAMA_HOST) {
    url = parseOllamaHost(env.OLLAMA_HOST);
    kind = "ollama";
    urlSource = "OLLAMA_HOST";
  }
  if (env.MYCOSWARM_LLM_URL) {
    url = parseBaseUrl("MYCOSWARM_LLM_URL", env.MYCOSWARM_LLM_URL);
    kind = "openai";
    urlSource = "MYCOSWARM_LLM_URL";
  }

  const str = (value: FileValue | undefined) =>
    typeof value === "string" && value !== "" ? value : null;
  const [chatModel, chatModelSource] = flags.model
    ? [flags.model, "--model"]
    : env.MYCOSWARM_MODEL
    ? [env.MYCOSWARM_MODEL, "MYCOSWARM_MODEL"]
    : str(llmFile.chat_model)
    ? [str(llmFile.chat_model), `${paths.configFile} (llm.chat_model)`]
    : [null, null];
  const config: Config = {
    paths,
    llm: {
      url,
      kind,
      urlSource,
      apiKey: env.MYCOSWARM_LLM_API_KEY || str(llmFile.api_key),
      chatModel,
      chatModelSource,
      gateModel: str(llmFile.gate_model),
      embeddingModel: str(llmFile.embedding_model),
      contextTokens: typeof llmFile.context_tokens === "number" ? llmFile.context_tokens : null,
      keepAlive: typeof llmFile.keep_alive === "string" || typeof llmFile.keep_alive === "number"
        ? llmFile.keep_alive
        : null,
      probeTimeoutMs: typeof llmFile.timeout_seconds === "number"
        ? llmFile.timeout_seconds * 1000
        : 3000,
    },
    node: {
      tier: env.MYCOSWARM_TIER
        ? checkTier(env.MYCOSWARM_TIER, "MYCOSWARM_TIER")
        : str(file.node?.tier),
    },
    daemon: {
      port: envPort(env.MYCOSWARM_PORT) ?? (file.daemon?.port as number | undefined) ?? 7890,
      bind: str(file.daemon?.bind) ?? "0.0.0.0",
      heartbeatSeconds: typeof file.daemon?.heartbeat_seconds === "number"
        ? file.daemon.heartbeat_seconds
        : 2,
      maxConnections: (file.daemon?.max_connections as number | undefined) ?? 512,
      mdns: env.MYCOSWARM_MDNS !== undefined && env.MYCOSWARM_MDNS !== ""
        ? yesNo(env.MYCOSWARM_MDNS, "MYCOSWARM_MDNS")
        : typeof file.daemon?.mdns === "boolean"
        ? file.daemon.mdns
        : true,
      peers: env.MYCOSWARM_PEERS !== undefined
        ? splitList(env.MYCOSWARM_PEERS)
        : (file.daemon?.peers as string[] | undefined) ?? [],
    },
    web: readWebSettings(env, file.web ?? {}, paths.configFile),
    api: readApiSettings(env, file.api ?? {}, paths.configFile),
  };
  return deepFreeze(config);
}

async function readConfigFile(
  path: string,
  readFile: (path: string) => Promise<string>,
): Promise<FileValues> {
  let text: string;
  try {
    text = await readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return {};
    const why = error instanceof Error ? error.message : String(error);
    throw createError("config_invalid", `Cannot read config file ${path}: ${why}`);
  }
  let data: Record<string, unknown>;
  try {
    data = parseToml(text);
  } catch (error) {
    if (error instanceof TomlError) {
      const first = error.message.split("\n")[0];
      throw createError(
        "config_invalid",
        `${path}:${error.line}:${error.column}: invalid TOML: ${first}`,
      );
    }
    throw error;
  }
  return validateFile(path, data);
}

function validateFile(path: string, data: Record<string, unknown>): FileValues {
  const out: FileValues = {};
  for (const [section, table] of Object.entries(data)) {
    const schema = FILE_SCHEMA[section];
    if (typeof table !== "object" || table === null || Array.isArray(table)) {
      const hint = Object.entries(FILE_SCHEMA).find(([, keys]) => section in keys)?.[0];
      throw fieldError(
        path,
        section,
        `is outside any section${hint ? ` (did you mean [${hint}] ${section}?)` : ""}`,
      );
    }
    if (!schema) {
      throw fieldError(path, section, `is an unknown section (known: ${Object.keys(FILE_SCHEMA)})`);
    }
    const values: Record<string, FileValue> = {};
    for (const [key, value] of Object.entries(table)) {
      const type = schema[key];
      if (!type) {
        throw fieldError(
          path,
          `${section}.${key}`,
          `is unknown (known: ${Object.keys(schema).join(", ")})`,
        );
      }
      values[key] = checkField(path, `${section}.${key}`, type, value);
    }
    out[section] = values;
  }
  return out;
}

function checkField(path: string, field: string, type: FieldType, value: unknown) {
  switch (type) {
    case "string":
      if (typeof value === "string") return value;
      throw fieldError(path, field, "must be a string");
    case "kind":
      if (value === "auto" || value === "ollama" || value === "openai") return value;
      throw fieldError(path, field, "must be one of auto, ollama, openai");
    case "port":
      if (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535) {
        return value as number;
      }
      throw fieldError(path, field, "must be an integer from 1 to 65535");
    case "seconds":
      if (typeof value === "number" && value > 0 && value <= 3600) return value;
      throw fieldError(path, field, "must be a number of seconds above 0, at most 3600");
    case "list":
      if (typeof value === "string") return splitList(value);
      if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value;
      throw fieldError(path, field, 'must be a list of strings, e.g. ["gpu-box:7890"]');
    case "tokens":
      if (Number.isInteger(value) && (value as number) >= 512 && (value as number) <= 1_048_576) {
        return value as number;
      }
      throw fieldError(path, field, "must be a whole number of tokens from 512 to 1048576");
    case "duration":
      // Ollama reads a number as seconds and a string as a Go duration ("5m", "1h30m").
      if (typeof value === "number" && Number.isFinite(value)) return value;
      if (typeof value === "string" && /^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value)) {
        return value;
      }
      throw fieldError(path, field, 'must be a duration like "5m" or "1h", or seconds');
    case "connections":
      if (Number.isInteger(value) && (value as number) >= 8 && (value as number) <= 1_000_000) {
        return value as number;
      }
      throw fieldError(path, field, "must be a whole number of connections from 8 to 1000000");
    case "boolean":
      if (typeof value === "boolean") return value;
      throw fieldError(path, field, "must be true or false");
    case "tier":
      if (typeof value === "string") return checkTier(value, `${path}: field '${field}'`);
      throw fieldError(path, field, `must be one of ${TIER_NAMES.join(", ")}`);
  }
}

function yesNo(value: string, source: string): boolean {
  const text = value.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(text)) return true;
  if (["0", "false", "no", "off"].includes(text)) return false;
  throw createError("config_invalid", `${source}=${JSON.stringify(value)} must be 1 or 0`);
}

function splitList(value: string): string[] {
  return value.split(",").map((v) => v.trim()).filter((v) => v !== "");
}

function checkTier(value: string, where: string): string {
  const tier = value.trim().toLowerCase();
  if ((TIER_NAMES as readonly string[]).includes(tier)) return tier;
  throw createError(
    "config_invalid",
    `${where}: '${value}' is not a tier (one of ${TIER_NAMES.join(", ")})`,
  );
}

function envPort(value: string | undefined): number | null {
  if (!value) return null;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw createError("config_invalid", `MYCOSWARM_PORT=${JSON.stringify(value)} is not a port`);
  }
  return port;
}

function fieldError(path: string, field: string, why: string) {
  return createError("config_invalid", `${path}: field '${field}' ${why}`);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
