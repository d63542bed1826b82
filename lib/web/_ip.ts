/** IP address classification for the SSRF guard (parsing is lib/core's). */

import { parseIpv4, parseIpv6 } from "../core/mod.ts";

export { parseIpv4, parseIpv6 };

/** What kind of address an IP is; everything but "public" is refused by default. */
export type AddressKind =
  | "public"
  | "loopback"
  | "link-local"
  | "private"
  | "unspecified"
  | "multicast"
  | "reserved";

/**
 * Classifies an IPv4 or IPv6 address (brackets and zone ids allowed). IPv6
 * forms that carry an IPv4 address (mapped `::ffff:a.b.c.d`, compatible,
 * NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by that IPv4 address.
 *
 * @returns null when `text` is not an IP address
 * @example
 * ```ts
 * classifyAddress("169.254.169.254"); // "link-local"
 * classifyAddress("[::ffff:127.0.0.1]"); // "loopback"
 * ```
 */
export function classifyAddress(text: string): AddressKind | null {
  const bare = text.replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  const v4 = parseIpv4(bare);
  if (v4 !== null) return classifyV4(v4);
  const v6 = parseIpv6(bare);
  return v6 === null ? null : classifyV6(v6);
}

function classifyV4([a, b, c]: number[]): AddressKind {
  if (a === undefined || b === undefined || c === undefined) return "reserved";
  if (a === 0) return "unspecified"; // 0.0.0.0/8, "this network"
  if (a === 127) return "loopback";
  if (a === 169 && b === 254) return "link-local"; // includes cloud metadata 169.254.169.254
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "private";
  if (a === 100 && b >= 64 && b <= 127) return "private"; // carrier-grade NAT, RFC 6598
  if (a === 198 && (b === 18 || b === 19)) return "private"; // benchmarking, RFC 2544
  if (a === 192 && b === 0 && c === 0) return "reserved";
  if (a >= 224 && a <= 239) return "multicast";
  if (a >= 240) return "reserved"; // includes 255.255.255.255
  return "public";
}

function classifyV6(bytes: number[]): AddressKind {
  const at = (i: number) => bytes[i] ?? 0;
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  if (zeros(0, 16)) return "unspecified";
  if (zeros(0, 15) && at(15) === 1) return "loopback";
  const mapped = zeros(0, 10) && at(10) === 0xff && at(11) === 0xff;
  const nat64 = at(0) === 0 && at(1) === 0x64 && at(2) === 0xff && at(3) === 0x9b && zeros(4, 12);
  if (mapped || nat64 || zeros(0, 12)) return classifyV4(bytes.slice(12, 16));
  if (at(0) === 0x20 && at(1) === 0x02) return classifyV4(bytes.slice(2, 6)); // 6to4
  if (at(0) === 0xfe && (at(1) & 0xc0) === 0x80) return "link-local"; // fe80::/10
  if (at(0) === 0xfe && (at(1) & 0xc0) === 0xc0) return "private"; // fec0::/10, old site-local
  if ((at(0) & 0xfe) === 0xfc) return "private"; // fc00::/7 unique local
  if (at(0) === 0xff) return "multicast";
  if (at(0) === 0x20 && at(1) === 0x01 && at(2) === 0x0d && at(3) === 0xb8) return "reserved";
  return "public";
}
