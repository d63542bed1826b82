/**
 * Interoperability with Avahi, the mDNS responder of most Linux machines, in
 * network namespaces: Avahi resolves our node (PTR → SRV, TXT, A) with every TXT
 * field, and our browser receives and parses a service Avahi publishes. Avahi is
 * not installed here (CI does `apt-get install avahi-daemon avahi-utils dbus`);
 * without it, or without root and iproute2, the test is skipped, saying why.
 */
import assert from "node:assert/strict";
import { AvahiPeer, avahiUnavailable, parseBrowse } from "./support/avahi.ts";
import { NodeProcess, randomToken, testNodeId } from "./support/discovery_nodes.ts";
import { TestNet } from "./support/netns.ts";

const unavailable = await avahiUnavailable();
if (unavailable !== null) console.log(`avahi_interop_test: skipped: ${unavailable}`);

/** An id of the form ours take, but published by Avahi without a signature. */
const AVAHI_INSTANCE = "myco-0123456789ab";

Deno.test({
  name: "discovery: Avahi resolves our node with its TXT, and our browser hears Avahi's service",
  ignore: unavailable !== null,
  async fn() {
    const net = await TestNet.create(2);
    let avahi: AvahiPeer | null = null;
    let node: NodeProcess | null = null;
    try {
      avahi = await AvahiPeer.start(net, 0, `mycoavahi${Deno.pid}`);
      const nodeId = testNodeId(0xa1);
      const hostname = `myconode${Deno.pid}`;
      node = NodeProcess.spawn(net, 1, { token: randomToken(), nodeId, hostname });
      await node.waitFor({ type: "ready" }, 30_000);

      // 1. Avahi resolves us: PTR, then SRV + TXT + A (from our answer's additionals or own queries).
      let entry = undefined;
      const deadline = performance.now() + 20_000;
      while (entry === undefined && performance.now() < deadline) {
        const browse = avahi.run("avahi-browse", ["avahi-browse", "-rpt", "_mycoswarm._tcp"]);
        await browse.finish(10_000);
        entry = parseBrowse(browse.output).find((e) => e.name === nodeId);
      }
      assert.ok(entry, "avahi-browse never resolved our node");
      assert.equal(entry.type, "_mycoswarm._tcp");
      assert.equal(entry.domain, "local");
      assert.equal(entry.protocol, "IPv4");
      assert.equal(entry.host, `${hostname}.local`);
      assert.equal(entry.address, net.address(1));
      assert.equal(entry.port, 7890);
      assert.equal(entry.txt.node_id, nodeId);
      assert.equal(entry.txt.tier, "light");
      assert.equal(entry.txt.gpu_tier, "none");
      assert.equal(entry.txt.caps, "cpu_worker");
      assert.equal(entry.txt.models, "tinyllama:1.1b");
      assert.equal(entry.txt.port, "7890");
      assert.equal(entry.txt.version, "0.1.0");
      assert.match(entry.txt.ts ?? "", /^\d+$/);
      assert.match(entry.txt.sig ?? "", /^[0-9a-f]{64}$/);

      // 2. A service Avahi publishes reaches our browser, parsed, and is refused for lack of `sig`.
      const publishedAt = Date.now();
      avahi.run("avahi-publish-service", [
        "avahi-publish-service",
        "-s",
        AVAHI_INSTANCE,
        "_mycoswarm._tcp",
        "7890",
        `node_id=${AVAHI_INSTANCE}`,
        "tier=light",
        "port=7890",
      ]);
      const rejected = await node.waitFor(
        (e) => e.type === "rejected" && (e.counts?.missing_signature ?? 0) >= 1,
        20_000,
      );
      assert.deepEqual(Object.keys(rejected.counts!), ["missing_signature"]);
      assert.equal(node.find({ peer: AVAHI_INSTANCE }), undefined, "an unsigned service got in");
      console.log(
        `  avahi-browse resolved ${nodeId} with ${Object.keys(entry.txt).length} TXT fields; ` +
          `Avahi's unsigned ${AVAHI_INSTANCE} was counted as missing_signature ` +
          `${rejected.t - publishedAt} ms after avahi-publish-service started`,
      );
    } finally {
      await node?.stop();
      await avahi?.stop();
      await net.cleanup();
    }
  },
});
