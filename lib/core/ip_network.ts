/**
 * IP addresses and networks: parsing (IPv4, IPv6 with `::` and a trailing IPv4) and CIDR
 * membership. The API's trusted networks and the web's SSRF guard both read addresses here.
 *
 * @module
 */

/** Dotted-quad IPv4 to 4 bytes, or null. */
export function parseIpv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const bytes = parts.map(Number);
  return bytes.every((b) => b <= 255) ? bytes : null;
}

/** IPv6 (with `::` and an optional trailing IPv4) to 16 bytes, or null. */
export function parseIpv6(text: string): number[] | null {
  if (!text.includes(":")) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const head = groups(halves[0] ?? "");
  const tail = halves.length === 2 ? groups(halves[1] ?? "") : [];
  const words: number[] = [];
  const all = [...head, ...(halves.length === 2 ? ["::"] : []), ...tail];
  for (const [index, group] of all.entries()) {
    if (group === "::") continue;
    if (index === all.length - 1 && group.includes(".")) {
      const v4 = parseIpv4(group);
      if (v4 === null) return null;
      words.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else if (/^[0-9a-f]{1,4}$/i.test(group)) {
      words.push(parseInt(group, 16));
    } else {
      return null;
    }
  }
  if (halves.length === 2) {
    if (words.length > 7) return null;
    const headWords = head.length;
    words.splice(headWords, 0, ...new Array(8 - words.length).fill(0));
  }
  if (words.length !== 8) return null;
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

/** `::ffff:0:0/96`: where IPv4 addresses sit in the IPv6 space (RFC 4291 §2.5.5.2). */
const MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/**
 * Any address as 16 bytes, IPv4 as its IPv4-mapped IPv6 form, so `192.168.1.7` and
 * `::ffff:192.168.1.7` (what a dual-stack socket reports) are the same address. Brackets
 * and a zone id (`fe80::1%eth0`) are allowed.
 *
 * @returns null when `text` is not an IP address
 */
export function parseIpAddress(text: string): number[] | null {
  const bare = text.trim().replace(/^\[(.*)\]$/, "$1").replace(/%[^%]*$/, "");
  const v4 = parseIpv4(bare);
  if (v4 !== null) return [...MAPPED_PREFIX, ...v4];
  return parseIpv6(bare);
}

/** A network parsed by {@linkcode parseCidr}: 16 address bytes and a prefix length 0–128. */
export interface IpNetwork {
  /** The network's address (host bits zero), IPv4 in its mapped form. */
  readonly bytes: readonly number[];
  /** Leading bits that must match, counted on the 128-bit form (an IPv4 `/24` is 120). */
  readonly prefix: number;
  /** The network as written in canonical form: `192.168.1.0/24`, `fd00::/8`. */
  readonly text: string;
}

/**
 * Parses a CIDR network: `192.168.1.0/24`, `10.0.0.5/32`, `fd00::/8`. A bare address is the
 * one-address network (`/32`, `/128`).
 *
 * @returns the network, or a sentence saying what is wrong with `text`
 * @example
 * ```ts
 * const net = parseCidr("192.168.1.0/24");
 * typeof net !== "string" && networkContains(net, "::ffff:192.168.1.7"); // true
 * ```
 */
export function parseCidr(text: string): IpNetwork | string {
  const trimmed = text.trim();
  const [address = "", length, ...rest] = trimmed.split("/");
  if (rest.length > 0 || address.includes("%") || address.startsWith("[")) {
    return `'${text}' is not a network (write it as 192.168.1.0/24 or fd00::/8)`;
  }
  const v4 = parseIpv4(address);
  const bytes = v4 !== null ? [...MAPPED_PREFIX, ...v4] : parseIpv6(address);
  if (bytes === null) {
    return `'${text}' is not a network: '${address}' is not an IP address ` +
      "(write it as 192.168.1.0/24 or fd00::/8)";
  }
  const max = v4 !== null ? 32 : 128;
  if (length !== undefined && !/^\d{1,3}$/.test(length)) {
    return `'${text}' is not a network: the prefix length must be a number from 0 to ${max}`;
  }
  const bits = length === undefined ? max : Number(length);
  if (bits > max) {
    return `'${text}' is not a network: the prefix length must be a number from 0 to ${max}`;
  }
  const prefix = v4 !== null ? 96 + bits : bits;
  const network = mask(bytes, prefix);
  if (network.some((b, i) => b !== bytes[i])) {
    // 192.168.1.7/24 is most likely a typo for the network or for /32: say which we mean.
    return `'${text}' has host bits set: write the network, ${formatNetwork(network, prefix)}, ` +
      `or the one address, ${address}/${max}`;
  }
  return { bytes: network, prefix, text: formatNetwork(network, prefix) };
}

/** True when `address` (any form {@linkcode parseIpAddress} reads) lies inside `network`. */
export function networkContains(network: IpNetwork, address: string): boolean {
  const bytes = parseIpAddress(address);
  if (bytes === null) return false;
  const masked = mask(bytes, network.prefix);
  return masked.every((b, i) => b === network.bytes[i]);
}

function mask(bytes: readonly number[], prefix: number): number[] {
  return bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
}

function formatNetwork(bytes: readonly number[], prefix: number): string {
  const mapped = prefix >= 96 && MAPPED_PREFIX.every((b, i) => bytes[i] === b);
  if (mapped) return `${bytes.slice(12).join(".")}/${prefix - 96}`;
  const words = Array.from(
    { length: 8 },
    (_, i) => ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0),
  );
  // The longest run of zero words becomes "::" (RFC 5952 §4.2).
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = words.map((w) => w.toString(16));
  const text = best < 0
    ? hex.join(":")
    : `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLength).join(":")}`;
  return `${text}/${prefix}`;
}
