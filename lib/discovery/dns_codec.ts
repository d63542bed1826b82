/**
 * DNS message encoding and decoding for mDNS, wrapping `dns-packet`. Only this
 * file imports it. Decoded packets are reduced to the record types discovery
 * uses (A, PTR, SRV, TXT), and decoding never throws.
 *
 * @module
 */
import dnsPacket from "dns-packet";
import { Buffer } from "node:buffer";
import { createError } from "../core/mod.ts";

/** A question. `unicastResponse` is the QU bit (RFC 6762 §5.4), the top bit of qclass. */
export interface DnsQuestion {
  name: string;
  /** "PTR", "SRV", "TXT", "A", "ANY", … or "UNKNOWN_<n>". */
  type: string;
  unicastResponse: boolean;
}

interface RecordBase {
  name: string;
  /** Seconds; 0 means goodbye (RFC 6762 §10.1). */
  ttl: number;
  /** The cache-flush bit (RFC 6762 §10.2), set on unique records. */
  flush: boolean;
}

/** An IPv4 address record. */
export interface ARecord extends RecordBase {
  type: "A";
  data: string;
}

/** A pointer record, e.g. service type → instance. */
export interface PtrRecord extends RecordBase {
  type: "PTR";
  data: string;
}

/** A service location record: instance → host and port. */
export interface SrvRecord extends RecordBase {
  type: "SRV";
  data: { target: string; port: number; priority: number; weight: number };
}

/** A text record: one or more strings of at most 255 bytes each. */
export interface TxtRecord extends RecordBase {
  type: "TXT";
  data: Uint8Array[];
}

/** The records discovery understands. */
export type DnsRecord = ARecord | PtrRecord | SrvRecord | TxtRecord;

/** A DNS message. mDNS uses id 0. */
export interface DnsPacket {
  type: "query" | "response";
  id: number;
  /** Header flags without the QR bit (e.g. {@linkcode AUTHORITATIVE_ANSWER}). */
  flags: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
}

/** The AA header flag; RFC 6762 §18.4 requires it on mDNS responses. */
export const AUTHORITATIVE_ANSWER = 1 << 10;

/** Largest mDNS message accepted (RFC 6762 §17: 9000 bytes including headers). */
export const MAX_PACKET_BYTES = 9000;

const QU_BIT = 0x8000;
const HEADER_BYTES = 12;
const RECORD_TYPES = new Set(["A", "PTR", "SRV", "TXT"]);
/** A dotted-quad IPv4 address. */
export const IPV4_PATTERN =
  /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * Encodes a packet to wire format.
 *
 * @param packet the message
 * @returns the UDP payload
 * @throws {MycoError} `internal` when the packet cannot be encoded (a bug in the caller)
 */
export function encode(packet: DnsPacket): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = dnsPacket.encode({
      ...packet,
      questions: packet.questions.map((q) => ({ name: q.name, type: q.type, class: "IN" })),
      answers: packet.answers.map(toWire),
      authorities: packet.authorities.map(toWire),
      additionals: packet.additionals.map(toWire),
    });
  } catch (cause) {
    throw createError("internal", `Cannot encode an mDNS packet: ${cause}`, { cause });
  }
  // dns-packet 5.6.1 cannot write the QU bit, so set it in place. It does not
  // compress names, so each question sits right after the previous one.
  let offset = HEADER_BYTES;
  for (const q of packet.questions) {
    offset += dnsPacket.name.encodingLength(q.name) + 4;
    if (q.unicastResponse) bytes[offset - 2]! |= QU_BIT >> 8;
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * Decodes a UDP payload. Never throws: anything malformed, or larger than
 * {@linkcode MAX_PACKET_BYTES}, gives `null`. Records of other types or classes
 * are dropped.
 *
 * @param bytes the UDP payload
 * @returns the packet, or `null`
 */
export function decode(bytes: Uint8Array): DnsPacket | null {
  if (bytes.length < HEADER_BYTES || bytes.length > MAX_PACKET_BYTES) return null;
  try {
    // deno-lint-ignore no-explicit-any
    const raw: any = dnsPacket.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    // dns-packet does not bounds-check every field (an A record at the very end
    // reads past it as "undefined"): a message that claims more bytes is malformed.
    if (dnsPacket.decode.bytes > bytes.length) return null;
    return {
      type: raw.type === "response" ? "response" : "query",
      id: raw.id,
      flags: raw.flags,
      questions: raw.questions.map(fromWireQuestion).filter(isPresent),
      answers: raw.answers.map(fromWire).filter(isPresent),
      authorities: raw.authorities.map(fromWire).filter(isPresent),
      additionals: raw.additionals.map(fromWire).filter(isPresent),
    };
  } catch {
    return null;
  }
}

/** True when two DNS names are equal: case-insensitive, trailing dot ignored (RFC 6762 §16). */
export function sameName(a: string, b: string): boolean {
  return a.replace(/\.$/, "").toLowerCase() === b.replace(/\.$/, "").toLowerCase();
}

/** True when two records have the same name, type and data (TTL and flush ignored). */
export function sameRecord(a: DnsRecord, b: DnsRecord): boolean {
  if (a.type !== b.type || !sameName(a.name, b.name)) return false;
  switch (a.type) {
    case "A":
      return a.data === b.data;
    case "PTR":
      return sameName(a.data, b.data as string);
    case "SRV": {
      const d = b.data as SrvRecord["data"];
      return sameName(a.data.target, d.target) && a.data.port === d.port &&
        a.data.priority === d.priority && a.data.weight === d.weight;
    }
    case "TXT": {
      const d = b.data as Uint8Array[];
      return a.data.length === d.length && a.data.every((s, i) => sameBytes(s, d[i]!));
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function toWire(record: DnsRecord) {
  // dns-packet would silently write the length modulo 256.
  if (record.type === "TXT" && record.data.some((s) => s.length > 255)) {
    throw new Error(`a TXT string of ${record.name} is over 255 bytes`);
  }
  const data = record.type === "TXT" ? record.data.map((s) => Buffer.from(s)) : record.data;
  return { ...record, class: "IN", data };
}

// deno-lint-ignore no-explicit-any
function fromWireQuestion(q: any): DnsQuestion | null {
  // dns-packet 5.6.1 turns a qclass with the QU bit into "UNKNOWN_<n>"; undo that.
  const klass = String(q.class);
  const code = klass === "IN" ? 1 : klass === "ANY" ? 255 : Number(klass.replace("UNKNOWN_", ""));
  const base = code & ~QU_BIT;
  if (base !== 1 && base !== 255) return null;
  return { name: String(q.name), type: String(q.type), unicastResponse: (code & QU_BIT) !== 0 };
}

// deno-lint-ignore no-explicit-any
function fromWire(r: any): DnsRecord | null {
  if (!RECORD_TYPES.has(r.type) || r.class !== "IN") return null;
  const base = { name: String(r.name), ttl: Number(r.ttl), flush: r.flush === true };
  switch (r.type) {
    case "A":
      return IPV4_PATTERN.test(r.data) ? { ...base, type: "A", data: r.data } : null;
    case "PTR":
      return typeof r.data === "string" ? { ...base, type: "PTR", data: r.data } : null;
    case "SRV": {
      const { target, port, priority, weight } = r.data ?? {};
      return { ...base, type: "SRV", data: { target: String(target), port, priority, weight } };
    }
    default:
      return Array.isArray(r.data)
        ? { ...base, type: "TXT", data: r.data.map((b: Uint8Array) => new Uint8Array(b)) }
        : null;
  }
}

function isPresent<T>(value: T | null): value is T {
  return value !== null;
}
