/**
 * Where kernels allocate the buffers of the columns they return: plain memory, or, in a pool
 * worker, SharedArrayBuffers.
 *
 * A worker's results leave its thread as SharedArrayBuffer descriptors (schedule/pool/transfer.ts),
 * and a result in plain memory is copied into one on the way out: 1–7 ms per partial state in the
 * scheduler bench, 26–45 ms of the workers' time per query, and as many bytes again for V8 to
 * account before its next collection. A worker therefore turns shared outputs on once at start, and
 * what the accumulators, gathers and concatenations return crosses with no copy. Accumulating into
 * a shared Float64Array measured the same as into a plain one (2 cores, Node 20); `fill` is slower
 * on shared memory, so scratch buffers stay plain.
 */
let shared = false

/** Called once by each pool worker; the sync scheduler and the main thread keep plain buffers. */
export function allocateSharedOutputs(on: boolean): void {
  shared = on
}

export function float64Output(length: number): Float64Array {
  return shared ? new Float64Array(new SharedArrayBuffer(8 * length)) : new Float64Array(length)
}

export function int32Output(length: number): Int32Array {
  return shared ? new Int32Array(new SharedArrayBuffer(4 * length)) : new Int32Array(length)
}

export function bigInt64Output(length: number): BigInt64Array {
  return shared ? new BigInt64Array(new SharedArrayBuffer(8 * length)) : new BigInt64Array(length)
}
