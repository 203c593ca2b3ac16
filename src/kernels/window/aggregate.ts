/**
 * Aggregates over each row's frame: sum, mean, min, max, count(x), count(*). Nulls are skipped:
 * sum / mean / min / max of a frame with no non-null input are null, counts are 0. Result dtypes
 * are the group-by's (result-dtype.ts). Integer sums are exact and a frame's int64 sum that does
 * not fit is the group-by's OVERFLOW error; float sums never subtract (sliding-sum.ts). Every
 * aggregate is O(n) whatever the frame: prefix sums for counts and integers, a two-stack queue for
 * float sums, a monotonic deque for min / max.
 */
import { float64Output } from '../../util/output-memory.js'
import { overflowError } from '../arith.js'
import type { Col, Float64Col, Int32Col, Int64Col } from '../column.js'
import type { WindowContext } from './context.js'
import { int64Col, int64Slots, setSafeInteger } from './int64-slots.js'
import { integerFrameSums } from './integer-sums.js'
import { minMaxColumn } from './min-max.js'
import { ratioToDouble } from './ratio.js'
import { slidingSums } from './sliding-sum.js'
import type { AggregateSpec, CountAllSpec, WindowFrame } from './spec.js'

const I64_MAX = 0x7fffffffffffffffn
const I64_MIN = -0x8000000000000000n

/** Per position, the frame's non-null inputs (its rows for count(*)). */
function frameCounts(ctx: WindowContext, input: number | null, frame: WindowFrame): Int32Array {
  const { start, end } = ctx.frame(frame)
  const n = ctx.layout.n
  const counts = new Int32Array(n)
  if (input === null) for (let k = 0; k < n; k++) counts[k] = end[k]! - start[k]!
  else {
    const prefix = ctx.nonNull(input).prefix
    for (let k = 0; k < n; k++) counts[k] = prefix[end[k]!]! - prefix[start[k]!]!
  }
  return counts
}

function countColumn(ctx: WindowContext, counts: Int32Array): Int64Col {
  const { dest, n } = ctx.layout
  const slots = int64Slots(n)
  for (let k = 0; k < n; k++) setSafeInteger(slots.halves, dest[k]!, counts[k]!)
  return int64Col(slots, null)
}

/** Validity per output slot: valid where the frame saw a non-null input (null when all did). */
function seenValidity(counts: Int32Array, dest: Int32Array): Uint8Array | null {
  const n = counts.length
  let all = true
  for (let k = 0; k < n && all; k++) all = counts[k]! > 0
  if (all) return null
  const valid = new Uint8Array(n)
  for (let k = 0; k < n; k++) valid[dest[k]!] = counts[k]! > 0 ? 1 : 0
  return valid
}

/** The column's values in position order, 0 under nulls (so no garbage enters a sum). */
function floatsByPosition(col: Float64Col, order: Int32Array): Float64Array {
  const n = order.length
  const out = new Float64Array(n)
  const { values, valid } = col
  for (let k = 0; k < n; k++) {
    const i = order[k]!
    out[k] = valid === null || valid[i] ? values[i]! : 0
  }
  return out
}

function sumOrMean(ctx: WindowContext, spec: AggregateSpec, frame: WindowFrame): Col {
  const col = ctx.column(spec.input) as Int32Col | Int64Col | Float64Col
  const { order, dest, n } = ctx.layout
  const { start, end } = ctx.frame(frame)
  const counts = frameCounts(ctx, spec.input, frame)
  const valid = seenValidity(counts, dest)
  if (col.kind === 'float64') {
    const sums = slidingSums(floatsByPosition(col, order), start, end)
    const out = float64Output(n)
    if (spec.fn === 'sum') for (let k = 0; k < n; k++) out[dest[k]!] = sums[k]!
    else for (let k = 0; k < n; k++) out[dest[k]!] = sums[k]! / counts[k]!
    return { kind: 'float64', length: n, values: out, valid }
  }
  const sums = integerFrameSums(col, order, start, end)
  if (spec.fn === 'mean') {
    const out = float64Output(n)
    if (sums.exact === 'double') for (let k = 0; k < n; k++) out[dest[k]!] = sums.sums[k]! / counts[k]!
    else for (let k = 0; k < n; k++) out[dest[k]!] = ratioToDouble(sums.sums[k]!, counts[k]!)
    return { kind: 'float64', length: n, values: out, valid }
  }
  const slots = int64Slots(n)
  if (sums.exact === 'double') for (let k = 0; k < n; k++) setSafeInteger(slots.halves, dest[k]!, sums.sums[k]!)
  else {
    for (let k = 0; k < n; k++) {
      const t = sums.sums[k]!
      if (t > I64_MAX || t < I64_MIN) throw overflowError('sum', 'int64', `the sum ${t} of a window frame`)
      slots.values[dest[k]!] = t
    }
  }
  return int64Col(slots, valid)
}

export function aggregateColumn(ctx: WindowContext, spec: AggregateSpec | CountAllSpec, frame: WindowFrame): Col {
  switch (spec.fn) {
    case 'countAll':
      return countColumn(ctx, frameCounts(ctx, null, frame))
    case 'count':
      return countColumn(ctx, frameCounts(ctx, spec.input, frame))
    case 'sum':
    case 'mean':
      return sumOrMean(ctx, spec, frame)
    case 'min':
    case 'max':
      return minMaxColumn(ctx, spec.input, frame, spec.fn === 'max')
  }
}
