/**
 * A fixed session for grounding tests: nine things the user said, nine true claims about them,
 * and one invented claim, shared by the unit and end-to-end tests.
 */

/** What the user said, one message each. */
export const EVIDENCE = [
  "I want to deploy my Flask app with Docker on a Raspberry Pi.",
  "Should I use SQLite or Postgres for the inventory database?",
  "My Nginx config keeps returning 502 errors from the upstream.",
  "Can Ollama run Llama models on the Pi?",
  "I back up everything to Backblaze with Restic every night.",
  "Is Caddy easier than Nginx for HTTPS certificates?",
  "I monitor the Pi with Grafana and Prometheus.",
  "Tailscale lets me reach it from my laptop.",
  "The Pi has 8 GB of RAM and an SSD over USB.",
];

/** Nine claims, each grounded in {@linkcode EVIDENCE}. */
export const NINE_TRUE = [
  "The user wants to deploy a Flask app with Docker on a Raspberry Pi.",
  "We compared SQLite and Postgres for the inventory database.",
  "The Nginx 502 errors came from a wrong upstream port.",
  "Ollama can run Llama models on the Pi.",
  "Nightly backups go to Backblaze with Restic.",
  "Caddy was suggested as simpler than Nginx for HTTPS.",
  "Monitoring runs on Grafana and Prometheus.",
  "Tailscale gives remote access from the laptop.",
  "The Pi has 8 GB of RAM and boots from an SSD over USB.",
];
/** A claim naming three things the user never said. */
export const INVENTED = "Decided to migrate the cluster to Zorblax on Quendra Cloud.";
