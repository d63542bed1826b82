import assert from "node:assert/strict";
import dgram from "node:dgram";
import os from "node:os";
import { interfacesForBind, MdnsSocket, multicastInterfaces } from "./mdns_socket.ts";

const LIST = {
  lo: [{ address: "127.0.0.1", family: "IPv4", internal: true }],
  eth0: [
    { address: "fe80::1", family: "IPv6", internal: false },
    { address: "192.168.1.20", family: "IPv4", internal: false },
    { address: "192.168.1.21", family: "IPv4", internal: false },
  ],
  wlan0: [{ address: "10.0.0.7", family: 4, internal: false }],
  tun0: [{ address: "fd00::1", family: "IPv6", internal: false }],
};

Deno.test("multicastInterfaces() picks one IPv4 address per non-internal interface", () => {
  assert.deepEqual(multicastInterfaces([], LIST), [
    { name: "eth0", address: "192.168.1.20" },
    { name: "wlan0", address: "10.0.0.7" },
  ]);
});

Deno.test("multicastInterfaces() restricts to named interfaces or addresses", () => {
  assert.deepEqual(multicastInterfaces(["wlan0"], LIST), [{ name: "wlan0", address: "10.0.0.7" }]);
  assert.deepEqual(multicastInterfaces(["127.0.0.1"], LIST), [{
    name: "lo",
    address: "127.0.0.1",
  }]);
  assert.deepEqual(multicastInterfaces(["nope"], LIST), []);
});

Deno.test("multicastInterfaces() falls back to the loopback on a machine without a network", () => {
  assert.deepEqual(multicastInterfaces([], { lo: LIST.lo }), [{
    name: "lo",
    address: "127.0.0.1",
  }]);
});

Deno.test("interfacesForBind() follows the API's address: loopback, one interface, or all", () => {
  const lo = [{ name: "lo", address: "127.0.0.1" }];
  for (const bind of ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"]) {
    assert.deepEqual(interfacesForBind(bind, LIST), lo, bind);
  }
  assert.deepEqual(interfacesForBind("192.168.1.21", LIST), [
    { name: "eth0", address: "192.168.1.21" },
  ]);
  assert.deepEqual(interfacesForBind("fe80::1", LIST), [{ name: "eth0", address: "192.168.1.20" }]);
  assert.deepEqual(interfacesForBind("10.9.9.9", LIST), [], "an address no interface holds");
  assert.deepEqual(interfacesForBind("fd00::1", LIST), [], "an interface without IPv4");
  const all = multicastInterfaces([], LIST);
  for (const bind of ["0.0.0.0", "::", "[::]", "my-box.lan"]) {
    assert.deepEqual(interfacesForBind(bind, LIST), all, bind);
  }
});

Deno.test("MdnsSocket bound to a loopback address joins the loopback only, and hears only it", async () => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  // A machine with a LAN: eth0 and wlan0 are listed but must not be joined.
  const socket = await MdnsSocket.open({ port, bind: "127.0.0.1", interfaceList: LIST });
  const peer = await MdnsSocket.open({ port, interfaces: ["127.0.0.1"] });
  try {
    assert.deepEqual(socket.interfaces, [{ name: "lo", address: "127.0.0.1" }]);
    assert.deepEqual(socket.addresses(), ["127.0.0.1"]);
    const heard = new Promise<string>((resolve) => {
      const off = socket.onPacket((bytes, from) => {
        if (bytes[0] !== 42) return;
        off();
        resolve(from.address);
      });
    });
    await peer.send(new Uint8Array([42]));
    assert.equal(await heard, "127.0.0.1");
  } finally {
    await socket.close();
    await peer.close();
  }
  await assert.rejects(
    MdnsSocket.open({ port, bind: "10.9.9.9", interfaceList: LIST }),
    /No IPv4 interface/,
  );
});

Deno.test("MdnsSocket bound to a loopback address drops datagrams from other addresses", async (t) => {
  const lan = Object.values(os.networkInterfaces()).flat()
    .find((a) => a?.family === "IPv4" && !a.internal)?.address;
  if (lan === undefined) {
    return void t.step({ name: "no non-loopback address", ignore: true, fn() {} });
  }
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const socket = await MdnsSocket.open({ port, bind: "127.0.0.1" });
  const got: [number, string][] = [];
  socket.onPacket((bytes, from) => got.push([bytes[0]!, from.address]));
  // Unicast to 127.0.0.1 from this machine's own LAN address: it never leaves the machine.
  const send = async (from: string, byte: number) => {
    const raw = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => raw.bind(0, from, () => resolve()));
    await new Promise<void>((resolve, reject) =>
      raw.send(new Uint8Array([byte]), port, "127.0.0.1", (e) => e ? reject(e) : resolve())
    );
    await new Promise<void>((resolve) => raw.close(() => resolve()));
  };
  try {
    await send(lan, 1);
    await send("127.0.0.1", 2);
    const deadline = Date.now() + 2_000;
    while (got.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(got, [[2, "127.0.0.1"]]);
  } finally {
    await socket.close();
  }
});

Deno.test("MdnsSocket.open() fails clearly when no interface matches", async () => {
  await assert.rejects(MdnsSocket.open({ interfaces: ["no-such-if0"] }), /No IPv4 interface/);
});

Deno.test("MdnsSocket: two sockets on one machine share the port and hear each other", async () => {
  // A high port, not 5353, so a system responder is not disturbed.
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const options = { port, interfaces: ["127.0.0.1"] };
  const a = await MdnsSocket.open(options);
  const b = await MdnsSocket.open(options);
  try {
    assert.deepEqual(a.addresses(), ["127.0.0.1"]);
    const heard = new Promise<[string, number, number]>((resolve) => {
      const off = a.onPacket((bytes, from) => {
        if (bytes[0] !== 42) return;
        off();
        resolve([from.address, from.port, bytes.length]);
      });
    });
    await b.send(new Uint8Array([42, 1, 2]));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const result = await Promise.race([
      heard,
      new Promise<null>((resolve) => timer = setTimeout(() => resolve(null), 2_000)),
    ]);
    clearTimeout(timer);
    assert.deepEqual(result, ["127.0.0.1", port, 3]);
  } finally {
    await a.close();
    await b.close();
    await b.close();
  }
  await assert.rejects(a.send(new Uint8Array([1])), /closed/);
});
