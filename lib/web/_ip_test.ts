import assert from "node:assert/strict";
import { classifyAddress, parseIpv6 } from "./_ip.ts";

Deno.test("classifyAddress() sorts IPv4 addresses", () => {
  const table: Record<string, string> = {
    "8.8.8.8": "public",
    "93.184.216.34": "public",
    "127.0.0.1": "loopback",
    "127.255.0.9": "loopback",
    "0.0.0.0": "unspecified",
    "169.254.169.254": "link-local",
    "10.0.0.1": "private",
    "172.16.0.1": "private",
    "172.31.255.255": "private",
    "172.32.0.1": "public",
    "192.168.0.10": "private",
    "100.64.0.1": "private",
    "224.0.0.251": "multicast",
    "255.255.255.255": "reserved",
  };
  for (const [address, kind] of Object.entries(table)) {
    assert.equal(classifyAddress(address), kind, address);
  }
});

Deno.test("classifyAddress() sorts IPv6 addresses, judging embedded IPv4 by itself", () => {
  const table: Record<string, string> = {
    "2606:4700::1111": "public",
    "::1": "loopback",
    "[::1]": "loopback",
    "::": "unspecified",
    "fe80::1%eth0": "link-local",
    "febf::1": "link-local",
    "fd00::1": "private",
    "ff02::fb": "multicast",
    "::ffff:127.0.0.1": "loopback",
    "::ffff:7f00:1": "loopback",
    "::ffff:8.8.8.8": "public",
    "64:ff9b::a9fe:a9fe": "link-local",
    "2002:c0a8:0101::1": "private",
    "2001:db8::1": "reserved",
  };
  for (const [address, kind] of Object.entries(table)) {
    assert.equal(classifyAddress(address), kind, address);
  }
});

Deno.test("classifyAddress() gives null for names and malformed addresses", () => {
  for (const text of ["example.com", "256.1.1.1", "1.2.3", "1::2::3", "12345::1", ""]) {
    assert.equal(classifyAddress(text), null, text);
  }
});

Deno.test("parseIpv6() expands :: and trailing IPv4", () => {
  assert.deepEqual(parseIpv6("1::"), [0, 1, ...new Array(14).fill(0)]);
  assert.deepEqual(parseIpv6("::ffff:1.2.3.4")?.slice(10), [255, 255, 1, 2, 3, 4]);
  assert.equal(parseIpv6("1:2:3:4:5:6:7:8:9"), null);
});
