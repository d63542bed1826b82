/**
 * How to send the answer to a query (RFC 6762 §5.4, §6, §6.7): multicast,
 * unicast, or not at all. Pure: the service does the sending.
 *
 * @module
 */
import type { DnsPacket, DnsRecord } from "./dns_codec.ts";
import { MDNS_PORT } from "./service_records.ts";
import type { RemoteInfo } from "./packet_transport.ts";

/** Most TTL in a legacy unicast answer (RFC 6762 §6.7: "no more than ten seconds"). */
export const LEGACY_TTL_SECONDS = 10;

/**
 * RFC 6762 §6: a record is multicast on an interface at most once a second; a
 * querier that missed the last copy asks again.
 */
export const MULTICAST_MIN_GAP_MS = 1_000;

/** What to do with an answer. */
export type ReplyPlan =
  | { via: "multicast"; delayMs: number }
  | { via: "unicast"; to: RemoteInfo; packet: DnsPacket }
  | { via: "none" };

/** Inputs of {@linkcode planReply} besides the packets. */
export interface ReplyContext {
  /** Where the query came from. */
  from: RemoteInfo;
  now: number;
  /** When we last multicast our records (ms; `-Infinity` for never). */
  lastMulticastAt: number;
  /** Our host-record TTL, seconds: QU queries get unicast while a multicast copy is this fresh / 4. */
  hostTtlSeconds: number;
  /** Random number in [0, 1), for the 20–120 ms delay of shared answers. */
  random: () => number;
}

/**
 * Decides how to send `response`, the answer to `query`:
 *
 * - a query from a port other than 5353 is a legacy (one-shot) resolver: answer
 *   by unicast with its id and questions, TTLs capped at 10 s and no cache-flush
 *   bit (RFC 6762 §6.7, §10.2);
 * - a query whose questions all have the QU bit gets a unicast answer if our
 *   records were multicast within a quarter of their TTL, else a multicast one
 *   (§5.4);
 * - otherwise multicast, unless we multicast under a second ago (§6), after a
 *   random 20–120 ms when the answer holds a shared record (the PTR), so that
 *   the answers of many nodes do not collide (§6).
 *
 * @param query the decoded query
 * @param response what `answerFor` gave
 * @param context sender, time, rate-limit state, randomness
 * @returns the plan
 */
export function planReply(query: DnsPacket, response: DnsPacket, context: ReplyContext): ReplyPlan {
  const { from, now, lastMulticastAt } = context;
  if (from.port !== MDNS_PORT) {
    return { via: "unicast", to: from, packet: legacyResponse(query, response) };
  }
  const allQu = query.questions.length > 0 && query.questions.every((q) => q.unicastResponse);
  if (allQu && now - lastMulticastAt < (context.hostTtlSeconds * 1000) / 4) {
    return { via: "unicast", to: from, packet: response };
  }
  if (now - lastMulticastAt < MULTICAST_MIN_GAP_MS) return { via: "none" };
  const shared = response.answers.some((r) => !r.flush);
  return { via: "multicast", delayMs: shared ? 20 + Math.floor(context.random() * 100) : 0 };
}

/** The answer to a legacy unicast query (RFC 6762 §6.7). */
export function legacyResponse(query: DnsPacket, response: DnsPacket): DnsPacket {
  const cap = (r: DnsRecord): DnsRecord => ({
    ...r,
    ttl: Math.min(r.ttl, LEGACY_TTL_SECONDS),
    flush: false,
  });
  return {
    ...response,
    id: query.id,
    questions: query.questions.map((q) => ({ ...q, unicastResponse: false })),
    answers: response.answers.map(cap),
    authorities: response.authorities.map(cap),
    additionals: response.additionals.map(cap),
  };
}
