/** Embeddings as SQLite BLOBs: little-endian float32, 4 bytes per dimension. */

/** Encodes a vector for storage. */
export function vectorToBlob(vector: ArrayLike<number>): Uint8Array {
  const floats = vector instanceof Float32Array ? vector : Float32Array.from(vector);
  return new Uint8Array(
    floats.buffer.slice(floats.byteOffset, floats.byteOffset + floats.byteLength),
  );
}

/** Decodes a stored vector (copying, so the result is aligned and owned). */
export function blobToVector(blob: Uint8Array): Float32Array {
  const copy = blob.slice();
  return new Float32Array(copy.buffer, 0, Math.floor(copy.byteLength / 4));
}
