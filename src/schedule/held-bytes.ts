/**
 * The bytes of everything the scheduler's store holds, each backing buffer counted once however
 * many stored values share it (valueBytes' rule, kept across values): the parts of a bucketed
 * aggregate state are slices of one batch, so freeing one part frees nothing until the last part
 * goes, while the parts of a hash split are batches of their own, each freed with its part. A
 * buffer counts while at least one held value keeps it alive.
 *
 * @example
 * const held = new HeldBytes()
 * const holding = held.hold(batch)   // held.bytes grows by the buffers no held value had
 * held.release(holding)              // and shrinks by the ones no held value has any more
 */
import type { Value } from './registry.js'
import { batchBuffers, jsonBytes } from './value-bytes.js'

/** What `hold` took: a batch's buffers, or a JSON value's nominal bytes. */
export type Holding = ReadonlySet<ArrayBufferLike> | number

export class HeldBytes {
  /** Held values keeping each buffer alive. */
  readonly #holders = new Map<ArrayBufferLike, number>()
  #bytes = 0

  get bytes(): number {
    return this.#bytes
  }

  hold(value: Value): Holding {
    const buffers = batchBuffers(value)
    if (buffers === null) {
      const bytes = jsonBytes(value)
      this.#bytes += bytes
      return bytes
    }
    for (const buffer of buffers) {
      const holders = this.#holders.get(buffer) ?? 0
      if (holders === 0) this.#bytes += buffer.byteLength
      this.#holders.set(buffer, holders + 1)
    }
    return buffers
  }

  release(holding: Holding): void {
    if (typeof holding === 'number') {
      this.#bytes -= holding
      return
    }
    for (const buffer of holding) {
      const holders = this.#holders.get(buffer) ?? 0
      if (holders <= 1) {
        this.#holders.delete(buffer)
        this.#bytes -= buffer.byteLength
      } else this.#holders.set(buffer, holders - 1)
    }
  }
}

/** Bytes of several holdings together (the parts of one output): each buffer once, as valuesBytes counts. */
export function holdingsBytes(holdings: readonly Holding[]): number {
  let bytes = 0
  const buffers = new Set<ArrayBufferLike>()
  for (const holding of holdings) {
    if (typeof holding === 'number') bytes += holding
    else for (const buffer of holding) buffers.add(buffer)
  }
  for (const buffer of buffers) bytes += buffer.byteLength
  return bytes
}
