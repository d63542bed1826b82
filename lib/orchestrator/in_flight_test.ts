import assert from "node:assert/strict";
import { InFlight } from "./in_flight.ts";

Deno.test("InFlight counts tasks per node; a release counts once", () => {
  const load = new InFlight();
  const a1 = load.begin("a");
  const a2 = load.begin("a");
  load.begin("b");
  assert.deepEqual([load.count("a"), load.count("b"), load.count("c")], [2, 1, 0]);
  a1();
  a1();
  assert.equal(load.count("a"), 1);
  a2();
  assert.equal(load.count("a"), 0);
});
