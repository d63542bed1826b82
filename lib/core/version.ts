/** The product version, read from deno.json so there is one place to bump it. */
import manifest from "../../deno.json" with { type: "json" };

/** mycoswarm's version, e.g. "0.1.0". */
export const VERSION: string = manifest.version;
