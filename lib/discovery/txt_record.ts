/**
 * Our TXT fields: what a node says about itself, fitted into RFC 6763's size
 * limits, and read back with validation. Signing is in `txt_signature.ts`.
 *
 * @module
 */
import { createError } from "../core/mod.ts";
import { NODE_ID_PATTERN } from "./service_records.ts";
import { MAX_TXT_BYTES, MAX_TXT_STRING_BYTES, txtByteLength } from "./txt_data.ts";

/** A node's self-description, as carried in TXT. */
export interface NodeTxt {
  /** The node id, which the signature binds to the record. */
  nodeId: string;
  /** edge, light, worker, specialist or executive. */
  tier: string;
  /** The best GPU's tier, for routing GPU work. */
  gpuTier: string;
  /** What the node can do (gpu_inference, cpu_worker, …), for routing. */
  caps: string[];
  /** GPU name, or "none". */
  gpu: string;
  /** The best GPU's memory in MiB, to tell which models fit. */
  vramMb: number;
  /** As many model names as fit. */
  models: string[];
  /** How many model names did not fit. */
  modelsMore: number;
  /** The mycoswarm version, to spot mixed swarms. */
  version: string;
  /** The node API port. */
  apiPort: number;
  /** When the fields were made, unix seconds. */
  ts: number;
}

/** What {@linkcode buildTxt} needs: everything but what it computes. */
export type NodeTxtInput = Omit<NodeTxt, "modelsMore" | "ts">;

/** Room kept for `sig=<64 hex>` and its length byte. */
export const SIG_RESERVE_BYTES = 1 + "sig=".length + 64;

/**
 * Caps on free-text values. With them the fields other than `models` take at
 * most ~700 bytes, so `models` always has room and the record never passes 1300.
 */
const SHORT_VALUE_BYTES = 64;
const GPU_VALUE_BYTES = 128;

const encoder = new TextEncoder();
const byteLength = (s: string) => encoder.encode(s).length;
const UINT = /^(?:0|[1-9]\d{0,14})$/;

/**
 * Builds the TXT fields of a node, without `sig`. Models are dropped whole from
 * the end until the `models` string fits 255 bytes and the record (with room
 * for `sig`) fits 1300 bytes; `models_more=N` then says how many were dropped.
 * Free-text values are cut (tier, gpu_tier and version to 64 bytes, gpu to 128),
 * caps dropped whole past 255 bytes.
 *
 * @param input the node
 * @param options `now` in ms since the epoch, for `ts`
 * @returns fields ready for `signTxt`
 * @throws {MycoError} `invalid_input` for a bad node id or port
 */
export function buildTxt(input: NodeTxtInput, options: { now: number }): Record<string, string> {
  if (!NODE_ID_PATTERN.test(input.nodeId)) {
    throw createError("invalid_input", `Node id '${input.nodeId}' is not myco-<12 hex digits>`);
  }
  if (!Number.isInteger(input.apiPort) || input.apiPort < 1 || input.apiPort > 65535) {
    throw createError("invalid_input", `API port ${input.apiPort} is not 1–65535`);
  }
  const txt: Record<string, string> = {
    node_id: input.nodeId,
    tier: cut(input.tier, SHORT_VALUE_BYTES),
    gpu_tier: cut(input.gpuTier, SHORT_VALUE_BYTES),
    caps: fitList("caps", input.caps, MAX_TXT_STRING_BYTES).join(","),
    gpu: cut(input.gpu, GPU_VALUE_BYTES),
    vram: String(Math.max(0, Math.trunc(input.vramMb))),
    version: cut(input.version, SHORT_VALUE_BYTES),
    port: String(input.apiPort),
    ts: String(Math.floor(options.now / 1000)),
  };
  const moreReserve = 1 + byteLength(`models_more=${input.models.length}`);
  const room = MAX_TXT_BYTES - txtByteLength(txt) - SIG_RESERVE_BYTES - moreReserve - 1;
  const models = fitList("models", input.models, Math.min(room, MAX_TXT_STRING_BYTES));
  const more = input.models.length - models.length;
  const { version, port, ts, ...head } = txt;
  return {
    ...head,
    models: models.join(","),
    ...(more > 0 ? { models_more: String(more) } : {}),
    version: version!,
    port: port!,
    ts: ts!,
  };
}

/**
 * Reads our fields from a TXT record, or `null` when a required one (node_id,
 * tier, version, port, ts) is missing or any is malformed. Unknown keys are ignored.
 */
export function readTxt(txt: Readonly<Record<string, string>>): NodeTxt | null {
  const get = (key: string) => Object.hasOwn(txt, key) ? txt[key] : undefined;
  const nodeId = get("node_id");
  const tier = get("tier");
  const version = get("version");
  const uints = ["port", "ts", "vram", "models_more"].map((k) => get(k));
  if (nodeId === undefined || !NODE_ID_PATTERN.test(nodeId) || !tier || !version) return null;
  if (uints.some((v, i) => (v === undefined ? i < 2 : !UINT.test(v)))) return null;
  const [apiPort, ts, vramMb, modelsMore] = uints.map((v) => Number(v ?? 0)) as number[];
  if (apiPort! < 1 || apiPort! > 65535) return null;
  return {
    nodeId,
    tier,
    gpuTier: get("gpu_tier") ?? "none",
    caps: list(get("caps")),
    gpu: get("gpu") ?? "none",
    vramMb: vramMb!,
    models: list(get("models")),
    modelsMore: modelsMore!,
    version,
    apiPort: apiPort!,
    ts: ts!,
  };
}

function list(value: string | undefined): string[] {
  return value === undefined || value === "" ? [] : value.split(",");
}

/** The longest prefix of `value` (whole code points) of at most `maxBytes` UTF-8 bytes. */
function cut(value: string, maxBytes: number): string {
  let out = "";
  let used = 0;
  for (const char of value) {
    used += byteLength(char);
    if (used > maxBytes) break;
    out += char;
  }
  return out;
}

/** The leading items (without commas) whose comma list keeps `key=list` within `maxBytes`. */
function fitList(key: string, items: readonly string[], maxBytes: number): string[] {
  const kept: string[] = [];
  let used = byteLength(`${key}=`);
  for (const item of items) {
    if (item === "" || item.includes(",")) break;
    const cost = byteLength(item) + (kept.length > 0 ? 1 : 0);
    if (used + cost > maxBytes) break;
    kept.push(item);
    used += cost;
  }
  return kept;
}
