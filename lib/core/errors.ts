/**
 * The one table of error codes. Every error a user can cause carries one of
 * these codes; the CLI maps them to exit codes and the API to HTTP statuses,
 * each in one place.
 */
export const ERROR_CODES = {
  /** Bad command line: unknown command, flag or argument. */
  usage: { exit: 2, http: 400 },
  /** Unreadable or invalid configuration file or value. */
  config_invalid: { exit: 2, http: 500 },
  /** Malformed input data (request body, session name, file). */
  invalid_input: { exit: 2, http: 400 },
  /** No model server answered at the configured URL. */
  model_server_unreachable: { exit: 3, http: 503 },
  /** The requested model is not installed on the model server. */
  model_not_found: { exit: 3, http: 404 },
  /** No model fit for the job is installed (e.g. only embedding models). */
  no_model: { exit: 3, http: 503 },
  /** The model server failed while answering (HTTP error, dropped stream). */
  model_failed: { exit: 3, http: 502 },
  /** A file or folder under MYCOSWARM_HOME could not be written or read. */
  storage_failed: { exit: 1, http: 500 },
  /** The memory database is damaged (a failed integrity check, a page SQLite cannot read). */
  store_damaged: { exit: 5, http: 503 },
  /** A search provider or web page failed: down, timed out, HTTP error, unreadable answer. */
  web_unavailable: { exit: 4, http: 502 },
  /** A web search provider is rate-limiting us (HTTP 429, DuckDuckGo's 202 bot challenge). */
  rate_limited: { exit: 4, http: 503 },
  /** A URL mycoswarm will not fetch: not http(s), or a loopback/link-local/private host. */
  url_refused: { exit: 2, http: 403 },
  /** A fetched page is not text (an image, a binary, a PDF). */
  unsupported_content: { exit: 2, http: 415 },
  /** No node of the swarm can take a task now: none fits, or every one tried failed. */
  swarm_unavailable: { exit: 3, http: 503 },
  /** The node running a task vanished after part of its answer arrived (the part is kept). */
  node_lost: { exit: 3, http: 502 },
  /** A command needs the local daemon and none answers (or it refuses our token). */
  no_daemon: { exit: 1, http: 503 },
  /** Something that should exist does not (a session, a task). */
  not_found: { exit: 1, http: 404 },
  /** The user interrupted the work (Ctrl-C). */
  interrupted: { exit: 130, http: 499 },
  /** A bug or an unexpected environment failure. */
  internal: { exit: 1, http: 500 },
} as const satisfies Record<string, { exit: number; http: number }>;

/** One of the codes of {@linkcode ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** What a {@linkcode MycoError} may carry besides its code and message. */
export interface ErrorOptions {
  /** Extra lines for people (e.g. the installed models). */
  hint?: string;
  /** The input field at fault, named for programs (the API's `error.field`). */
  field?: string;
  /** The underlying error, kept for `MYCOSWARM_DEBUG` output. */
  cause?: unknown;
}

/** An error a user can understand and act on: a code plus a message saying what to do. */
export class MycoError extends Error {
  /** The code from {@linkcode ERROR_CODES}. */
  readonly code: ErrorCode;
  /** Optional extra lines for people (e.g. the installed models). */
  readonly hint: string | undefined;
  /** The input field at fault, for programs (e.g. "payload.temperature", "priority"). */
  readonly field: string | undefined;

  /** Prefer {@linkcode createError}, which reads the same at every call site. */
  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "MycoError";
    this.code = code;
    this.hint = options.hint;
    this.field = options.field;
  }

  /** The process exit code for this error. */
  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }

  /** The HTTP status for this error. */
  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }
}

/**
 * Builds a {@linkcode MycoError}.
 *
 * @example
 * ```ts
 * throw createError("model_not_found", "Model 'llama9' is not installed");
 * ```
 */
export function createError(
  code: ErrorCode,
  message: string,
  options: ErrorOptions = {},
): MycoError {
  return new MycoError(code, message, options);
}

/** True when `error` is a {@linkcode MycoError}, optionally with the given code. */
export function isMycoError(error: unknown, code?: ErrorCode): error is MycoError {
  return error instanceof MycoError && (code === undefined || error.code === code);
}
