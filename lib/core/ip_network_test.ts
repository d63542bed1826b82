import assert from "node:assert/strict";
import { type IpNetwork, networkContains, parseCidr, parseIpAddress } from "./ip_network.ts";

function net(text: string): IpNetwork {
  const parsed = parseCidr(text);
  if (typeof parsed === "string") throw new Error(parsed);
  return parsed;
}

Deno.test("parseCidr() reads IPv4 and IPv6 networks and writes them canonically", () => {
  assert.equal(net("192.168.1.0/24").text, "192.168.1.0/24");
  assert.equal(net(" 10.0.0.5/32 ").text, "10.0.0.5/32");
  assert.equal(net("10.0.0.5").text, "10.0.0.5/32");
  assert.equal(net("0.0.0.0/0").text, "0.0.0.0/0");
  assert.equal(net("fd00::/8").text, "fd00::/8");
  assert.equal(net("FD00:0:0:0::/16").text, "fd00::/16");
  assert.equal(net("2001:db8:0:1::/64").text, "2001:db8:0:1::/64");
  assert.equal(net("::1").text, "::1/128");
  assert.equal(net("::ffff:192.168.0.0/112").text, "192.168.0.0/16");
});

Deno.test("parseCidr() says what is wrong with a malformed network", () => {
  assert.match(parseCidr("192.168.1.0/33") as string, /prefix length must be .* 0 to 32/);
  assert.match(parseCidr("fd00::/129") as string, /0 to 128/);
  assert.match(parseCidr("192.168.1/24") as string, /'192\.168\.1' is not an IP address/);
  assert.match(parseCidr("192.168.1.0/") as string, /prefix length/);
  assert.match(parseCidr("192.168.1.0/24/8") as string, /is not a network/);
  assert.match(parseCidr("fe80::1%eth0/64") as string, /is not a network/);
  assert.match(parseCidr("lan") as string, /'lan' is not an IP address/);
  assert.match(
    parseCidr("192.168.1.7/24") as string,
    /host bits set: write the network, 192\.168\.1\.0\/24, or the one address, 192\.168\.1\.7\/32/,
  );
  assert.match(parseCidr("fd00::1/8") as string, /host bits set: write the network, fd00::\/8/);
});

Deno.test("networkContains() matches IPv4, IPv4-mapped IPv6 and IPv6 addresses", () => {
  const lan = net("192.168.1.0/24");
  assert.equal(networkContains(lan, "192.168.1.7"), true);
  assert.equal(networkContains(lan, "::ffff:192.168.1.7"), true);
  assert.equal(networkContains(lan, "[::ffff:c0a8:0107]"), true);
  assert.equal(networkContains(lan, "192.168.2.7"), false);
  assert.equal(networkContains(lan, "::ffff:192.168.2.7"), false);
  assert.equal(networkContains(lan, "fd00::1"), false);
  assert.equal(networkContains(lan, "not an address"), false);
  const host = net("10.0.0.5/32");
  assert.equal(networkContains(host, "10.0.0.5"), true);
  assert.equal(networkContains(host, "10.0.0.6"), false);
  const ula = net("fd00::/8");
  assert.equal(networkContains(ula, "fd12:3456::1"), true);
  assert.equal(networkContains(ula, "fd12:3456::1%eth0"), true);
  assert.equal(networkContains(ula, "fe80::1"), false);
  assert.equal(networkContains(ula, "192.168.1.7"), false);
  const all4 = net("0.0.0.0/0");
  assert.equal(networkContains(all4, "8.8.8.8"), true);
  assert.equal(networkContains(all4, "2001:db8::1"), false, "an IPv4 network holds no IPv6 host");
  const odd = net("10.0.0.0/9");
  assert.equal(networkContains(odd, "10.127.255.255"), true);
  assert.equal(networkContains(odd, "10.128.0.0"), false);
});

Deno.test("parseIpAddress() maps IPv4 into IPv6", () => {
  assert.deepEqual(parseIpAddress("1.2.3.4"), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4]);
  assert.deepEqual(parseIpAddress("::ffff:1.2.3.4"), parseIpAddress("1.2.3.4"));
  assert.equal(parseIpAddress("1.2.3"), null);
  assert.equal(parseIpAddress(""), null);
});
