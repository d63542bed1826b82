import assert from "node:assert/strict";
import { findPoisonedClaims, findValueContradictions } from "./self_correction.ts";

// The episode-level rules these tests replace (anchor windows on low-grounding episodes;
// quarantine when most of a low-grounding episode's names recur) now work claim by claim.

const NAS_DOC = { id: 7, text: "# NAS\n\nThe NAS backups run nightly at 02:00 to Backblaze." };

Deno.test("findValueContradictions() drops a claim saying 05:00 where the document says 02:00", () => {
  const found = findValueContradictions(
    [{ id: 1, text: "Backups run at 05:00." }, { id: 2, text: "The NAS backups run at 02:00." }],
    [NAS_DOC],
  );
  assert.deepEqual(found, [{ claimId: 1, documentId: 7, value: "05:00", documentValue: "02:00" }]);
});

Deno.test("findValueContradictions() leaves claims about something else alone", () => {
  const claims = [
    { id: 1, text: "The garden is watered at 05:00." },
    { id: 2, text: "Backups go to Backblaze." },
  ];
  assert.deepEqual(findValueContradictions(claims, [NAS_DOC]), []);
  assert.deepEqual(findValueContradictions(claims, []), []);
});

Deno.test("findValueContradictions() takes 8 GB for the same as a document's 8192 MB", () => {
  const doc = { id: 3, text: "The build VM has 8192 MB of memory." };
  assert.deepEqual(
    findValueContradictions([{ id: 1, text: "The build VM has 8 GB of memory." }], [doc]),
    [],
  );
  assert.equal(
    findValueContradictions([{ id: 2, text: "The build VM has 16 GB of memory." }], [doc]).length,
    1,
  );
});

Deno.test("findValueContradictions() compares bare numbers only next to the same word", () => {
  const claim = { id: 1, text: "The reporting Postgres server listens on port 5432." };
  const released = { id: 2, text: "The reporting Postgres server was upgraded to 16 in 2023." };
  assert.deepEqual(findValueContradictions([claim], [released]), []);
  const moved = { id: 3, text: "The reporting Postgres server listens on port 5433." };
  assert.deepEqual(findValueContradictions([claim], [moved]), [
    { claimId: 1, documentId: 3, value: "5432", documentValue: "5433" },
  ]);
  const version = { id: 4, text: "The reporting host runs Postgres 16 since the upgrade." };
  assert.equal(
    findValueContradictions([{ id: 5, text: "The reporting host runs Postgres 15." }], [version])
      .length,
    1,
  );
});

Deno.test("findPoisonedClaims() quarantines an invented name repeated by another session", () => {
  const found = findPoisonedClaims(
    [
      { position: 0, grounded: true, missing: [] },
      { position: 1, grounded: false, missing: ["name:zorblax"] },
    ],
    [{ id: 10, episode_id: 1, missing: ["name:zorblax"] }],
  );
  assert.deepEqual(found, { positions: [1], ids: [10], keys: ["name:zorblax"] });
});

Deno.test("findPoisonedClaims() does not quarantine different slips, nor a first one", () => {
  // Two Kubernetes/Helm sessions with different small slips: Kubernetes itself was said.
  const slips = findPoisonedClaims(
    [{ position: 3, grounded: false, missing: ["version:3.2"] }],
    [{ id: 10, episode_id: 1, missing: ["number:8443"] }],
  );
  assert.deepEqual(slips.positions, []);
  const first = findPoisonedClaims([{ position: 0, grounded: false, missing: ["name:x"] }], []);
  assert.deepEqual(first.positions, []);
  const vague = findPoisonedClaims(
    [{ position: 0, grounded: false, missing: ["word:manag"] }],
    [{ id: 1, episode_id: 1, missing: ["word:manag"] }],
  );
  assert.deepEqual(vague.positions, []);
});
