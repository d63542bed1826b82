/** Where mycoswarm keeps its files, all under one home folder. */

/** The files and folders under the mycoswarm home. */
export interface DataPaths {
  /** The home folder (`MYCOSWARM_HOME`, default `~/.config/mycoswarm`). */
  home: string;
  /** The optional TOML configuration file. */
  configFile: string;
  /** The stable node id (`myco-` + 12 hex), compatible with the Python mycoSwarm. */
  nodeIdFile: string;
  /** Saved chat sessions, one JSON file each. */
  sessionsDir: string;
  /** The SQLite database: documents, chunks, facts, episodes, lessons, procedures. */
  databaseFile: string;
  /** Search index snapshots (rebuilt from the database when stale or damaged). */
  indexDir: string;
  /** The swarm token (64 hex, mode 0600), the Python mycoSwarm's file name. */
  swarmTokenFile: string;
  /** Client API keys (names, SHA-256 hashes, creation times; mode 0600). */
  apiKeysFile: string;
  /** Where a running daemon writes the URL it listens on, for the CLI to find it. */
  daemonUrlFile: string;
  /** Cached web search results, one JSON file per query (expire after an hour). */
  webCacheDir: string;
}

/** Builds the paths under `home`. */
export function dataPaths(home: string): DataPaths {
  const root = home.replace(/\/+$/, "") || "/";
  return {
    home: root,
    configFile: `${root}/config.toml`,
    nodeIdFile: `${root}/node_id`,
    sessionsDir: `${root}/sessions`,
    databaseFile: `${root}/memory.db`,
    indexDir: `${root}/index`,
    swarmTokenFile: `${root}/swarm-token`,
    apiKeysFile: `${root}/api-keys.json`,
    daemonUrlFile: `${root}/daemon-url`,
    webCacheDir: `${root}/web-cache`,
  };
}

/**
 * The default home folder: `$XDG_CONFIG_HOME/mycoswarm`, else
 * `~/.config/mycoswarm` (where the Python mycoSwarm keeps its files too).
 */
export function defaultHome(env: Readonly<Record<string, string>>): string {
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg) return `${xdg}/mycoswarm`;
  const userHome = env.HOME ?? env.USERPROFILE ?? ".";
  return `${userHome}/.config/mycoswarm`;
}
