/**
 * int64 outputs written as two 32-bit halves (little-endian, as the rest of the kernels assume):
 * a BigInt per row would cost more than computing the window. Only safe integers go in.
 */
import { bigInt64Output } from '../../util/output-memory.js'
import type { Int64Col } from '../column.js'
import type { Validity } from '../validity.js'

export interface Int64Slots {
  readonly values: BigInt64Array
  readonly halves: Int32Array
}

export function int64Slots(n: number): Int64Slots {
  const values = bigInt64Output(n)
  return { values, halves: new Int32Array(values.buffer, values.byteOffset, 2 * n) }
}

/** Writes the safe integer `t` into slot `at`. */
export function setSafeInteger(halves: Int32Array, at: number, t: number): void {
  halves[2 * at] = t >>> 0
  halves[2 * at + 1] = Math.floor(t / 4294967296)
}

export function int64Col(slots: Int64Slots, valid: Validity): Int64Col {
  return { kind: 'int64', length: slots.values.length, values: slots.values, valid }
}
