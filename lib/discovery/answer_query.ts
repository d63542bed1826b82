/**
 * The responder's decision: which of our records answer a query (RFC 6762 §6),
 * minus those the querier already knows (§7.1). Pure: no sockets.
 *
 * @module
 */
import {
  type DnsPacket,
  type DnsQuestion,
  type DnsRecord,
  sameName,
  sameRecord,
} from "./dns_codec.ts";
import {
  type Advertisement,
  hostName,
  instanceName,
  recordsFor,
  responsePacket,
  SERVICE_TYPE,
} from "./service_records.ts";

/** The DNS-SD meta-query that lists service types (RFC 6763 §9). */
export const SERVICES_META_QUERY = "_services._dns-sd._udp.local";

/**
 * The response to a query, or `null` when we have nothing (new) to say.
 *
 * Answers PTR questions for our service (with SRV, TXT and A as additional
 * records, RFC 6763 §12.1) and for the service-type enumeration; SRV, TXT and
 * ANY questions for our instance; A and ANY questions for our host. An answer
 * the querier already lists in its known-answer section with at least half our
 * TTL is left out (RFC 6762 §7.1). Whether to reply by unicast (the QU bit, or a
 * source port other than 5353) is the socket owner's decision.
 *
 * @param query a decoded packet
 * @param ad our node
 * @returns the response, or `null`
 */
export function answerFor(query: DnsPacket, ad: Advertisement): DnsPacket | null {
  if (query.type !== "query") return null;
  const all = recordsFor(ad);
  const answers: DnsRecord[] = [];
  const additionals: DnsRecord[] = [];
  for (const question of query.questions) {
    const [direct, extra] = recordsAnswering(question, ad, all);
    for (const record of direct) {
      if (knownToQuerier(record, query.answers)) continue;
      addOnce(answers, record);
      for (const more of extra) addOnce(additionals, more);
    }
  }
  if (answers.length === 0) return null;
  return responsePacket(answers, additionals.filter((r) => !answers.some((a) => sameRecord(a, r))));
}

/** The records that answer one question directly, and those worth adding. */
function recordsAnswering(
  question: DnsQuestion,
  ad: Advertisement,
  all: DnsRecord[],
): [DnsRecord[], DnsRecord[]] {
  const { name, type } = question;
  const any = type === "ANY";
  const ptr = all.filter((r) => r.type === "PTR");
  const srvTxt = all.filter((r) => r.type === "SRV" || r.type === "TXT");
  const a = all.filter((r) => r.type === "A");
  if (sameName(name, SERVICE_TYPE) && (any || type === "PTR")) return [ptr, [...srvTxt, ...a]];
  if (sameName(name, SERVICES_META_QUERY) && (any || type === "PTR")) {
    const meta: DnsRecord = { ...ptr[0]!, name: SERVICES_META_QUERY, data: SERVICE_TYPE };
    return [[meta], []];
  }
  if (sameName(name, instanceName(ad.nodeId))) {
    const direct = srvTxt.filter((r) => any || r.type === type);
    return [direct, direct.some((r) => r.type === "SRV") ? a : []];
  }
  if (sameName(name, hostName(ad)) && (any || type === "A")) return [a, []];
  return [[], []];
}

/** True when the known-answer list holds `record` with at least half its TTL. */
function knownToQuerier(record: DnsRecord, known: readonly DnsRecord[]): boolean {
  return known.some((k) => sameRecord(k, record) && k.ttl >= record.ttl / 2);
}

function addOnce(list: DnsRecord[], record: DnsRecord): void {
  if (!list.some((r) => sameRecord(r, record))) list.push(record);
}
