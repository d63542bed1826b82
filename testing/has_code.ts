/**
 * An `assert.rejects` predicate for the project's coded errors.
 *
 * @module
 */

/** The `code` of a thrown MycoError, for assert.rejects predicates. */
export function hasCode(code: string, pattern?: RegExp) {
  return (error: unknown) => {
    const e = error as { code?: string; message?: string };
    if (e.code !== code) throw new Error(`expected code ${code}, got ${e.code}: ${e.message}`);
    if (pattern && !pattern.test(e.message ?? "")) {
      throw new Error(`message ${JSON.stringify(e.message)} does not match ${pattern}`);
    }
    return true;
  };
}
