import assert from "node:assert/strict";
import { legacyResponse, planReply, type ReplyContext } from "./_reply_plan.ts";
import { advertisement, T0 } from "../../testing/discovery.ts";
import { answerFor } from "./answer_query.ts";
import { queryPacket } from "./service_records.ts";

const query = queryPacket();
const response = answerFor(query, advertisement())!;

function context(overrides: Partial<ReplyContext> = {}): ReplyContext {
  return {
    from: { address: "10.0.0.9", port: 5353 },
    now: T0,
    lastMulticastAt: -Infinity,
    hostTtlSeconds: 120,
    random: () => 0,
    ...overrides,
  };
}

Deno.test("planReply() multicasts a PTR answer after 20–120 ms", () => {
  assert.deepEqual(planReply(query, response, context()), { via: "multicast", delayMs: 20 });
  assert.deepEqual(planReply(query, response, context({ random: () => 0.999 })), {
    via: "multicast",
    delayMs: 119,
  });
});

Deno.test("planReply() answers unique records at once", () => {
  const srvOnly = { ...response, answers: response.answers.filter((r) => r.flush) };
  assert.deepEqual(planReply(query, srvOnly, context()), { via: "multicast", delayMs: 0 });
});

Deno.test("planReply() stays quiet within a second of the last multicast", () => {
  assert.deepEqual(planReply(query, response, context({ lastMulticastAt: T0 - 999 })), {
    via: "none",
  });
  assert.equal(
    planReply(query, response, context({ lastMulticastAt: T0 - 1000 })).via,
    "multicast",
  );
});

Deno.test("planReply() answers a QU query by unicast while our multicast copy is fresh", () => {
  const qu = { ...query, questions: query.questions.map((q) => ({ ...q, unicastResponse: true })) };
  const fresh = planReply(qu, response, context({ lastMulticastAt: T0 - 29_000 }));
  assert.deepEqual(fresh, {
    via: "unicast",
    to: { address: "10.0.0.9", port: 5353 },
    packet: response,
  });
  assert.equal(planReply(qu, response, context({ lastMulticastAt: T0 - 31_000 })).via, "multicast");
});

Deno.test("planReply() answers a legacy query (port ≠ 5353) by unicast in legacy form", () => {
  const from = { address: "10.0.0.9", port: 51_000 };
  const plan = planReply({ ...query, id: 77 }, response, context({ from }));
  assert.equal(plan.via, "unicast");
  if (plan.via !== "unicast") return;
  assert.deepEqual(plan.to, from);
  assert.equal(plan.packet.id, 77);
});

Deno.test("legacyResponse() echoes id and questions, caps TTLs at 10 s, clears cache-flush", () => {
  const qu = { ...query, id: 9, questions: [{ ...query.questions[0]!, unicastResponse: true }] };
  const legacy = legacyResponse(qu, response);
  assert.equal(legacy.id, 9);
  assert.deepEqual(legacy.questions, [{ ...query.questions[0]!, unicastResponse: false }]);
  const all = [...legacy.answers, ...legacy.additionals];
  assert.ok(all.length >= 4);
  assert.ok(all.every((r) => r.ttl === 10 && r.flush === false));
});
