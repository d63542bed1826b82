import assert from "node:assert/strict";
import { MemoryNetwork } from "./memory_transport.ts";

Deno.test("MemoryNetwork delivers multicast to every 5353 member and unicast to one", async () => {
  const network = new MemoryNetwork();
  const a = network.join("10.0.0.1");
  const b = network.join("10.0.0.2");
  const legacy = network.join("10.0.0.3", 40_000);
  const got: string[] = [];
  for (const [name, t] of [["a", a], ["b", b], ["legacy", legacy]] as const) {
    t.onPacket((bytes, from) => got.push(`${name}<-${from.address}:${from.port}:${bytes[0]}`));
  }
  const sends = [
    a.send(new Uint8Array([1])),
    legacy.send(new Uint8Array([2]), { address: "10.0.0.2", port: 5353 }),
    b.send(new Uint8Array([3]), { address: "10.0.0.3", port: 40_000 }),
  ];
  assert.equal(network.inFlight, 3);
  assert.deepEqual(got, []); // delivered asynchronously, like a socket
  await Promise.all(sends);
  assert.equal(network.inFlight, 0);
  assert.deepEqual(got, [
    "a<-10.0.0.1:5353:1",
    "b<-10.0.0.1:5353:1",
    "b<-10.0.0.3:40000:2",
    "legacy<-10.0.0.2:5353:3",
  ]);
  network.drop = () => true;
  await a.send(new Uint8Array([4]));
  await Promise.resolve();
  assert.equal(got.length, 4);
  assert.equal(network.sent.length, 4);
  await a.close();
  await a.close();
  await assert.rejects(a.send(new Uint8Array([5])), /closed/);
  await b.close();
  await legacy.close();
});
