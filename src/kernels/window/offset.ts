/**
 * lag / lead: the input `offset` positions before / after the current one in its partition, the
 * frame ignored. Past the partition's edge the result is the default (null when none); a null
 * input inside the partition stays null. A negative offset turns lag into lead (DuckDB), 0 is the
 * current row. With IGNORE NULLS only rows with a non-null input count as steps, so
 * `lag(x IGNORE NULLS)` is the last non-null value before the current row (DuckDB).
 *
 * The result is a gather of input rows (dictionary strings keep their dictionary); a default is one
 * more row appended to the source (a literal), or the default column's rows (one per input row).
 */
import { TsdaskError } from '../../util/errors.js'
import { type Col, dtypeOfCol } from '../column.js'
import { concatCols } from '../concat.js'
import { broadcast, literalScalar } from '../scalar.js'
import { takeCol } from '../take.js'
import type { WindowContext } from './context.js'
import type { OffsetSpec } from './spec.js'

/** Per output slot, the input row whose value it takes, or -1 past the partition's edge. */
function sourceRows(ctx: WindowContext, spec: OffsetSpec): Int32Array {
  const { order, dest, partitions, n } = ctx.layout
  const shift = (spec.fn === 'lag' ? -1 : 1) * (spec.offset ?? 1)
  const rows = new Int32Array(n)
  if (spec.ignoreNulls && shift !== 0) {
    const { prefix, positions } = ctx.nonNull(spec.input)
    for (let p = 0; p + 1 < partitions.length; p++) {
      const ps = partitions[p]!
      const pe = partitions[p + 1]!
      // Non-null inputs of the partition are positions[first … last - 1].
      const first = prefix[ps]!
      const last = prefix[pe]!
      for (let k = ps; k < pe; k++) {
        const c = shift > 0 ? prefix[k + 1]! + shift - 1 : prefix[k]! + shift
        rows[dest[k]!] = c >= first && c < last ? order[positions[c]!]! : -1
      }
    }
    return rows
  }
  for (let p = 0; p + 1 < partitions.length; p++) {
    const ps = partitions[p]!
    const pe = partitions[p + 1]!
    for (let k = ps; k < pe; k++) {
      const j = k + shift
      rows[dest[k]!] = j >= ps && j < pe ? order[j]! : -1
    }
  }
  return rows
}

/** The default's values appended after the source's rows, and rows past the edge pointed at them. */
function withDefault(ctx: WindowContext, spec: OffsetSpec, source: Col, rows: Int32Array): Col {
  const d = spec.default
  if (d === undefined) return takeCol(source, rows)
  const n = source.length
  let extra: Col
  if (d.kind === 'literal') {
    extra = broadcast(literalScalar(d.value, spec.inputDType), spec.inputDType, 1)
    for (let i = 0; i < rows.length; i++) if (rows[i]! < 0) rows[i] = n
  } else {
    extra = ctx.column(d.index)
    if (dtypeOfCol(extra) !== spec.inputDType) {
      throw new TsdaskError(
        'INTERNAL',
        `${spec.fn} default column #${d.index} is ${dtypeOfCol(extra)}, not ${spec.inputDType}: lowering must cast it`,
      )
    }
    // Slot dest[k] holds the result of input row order[k], whose own default is extra's row order[k].
    const { order, dest } = ctx.layout
    for (let k = 0; k < n; k++) if (rows[dest[k]!]! < 0) rows[dest[k]!] = n + order[k]!
  }
  return takeCol(concatCols([source, extra]), rows, false)
}

export function offsetColumn(ctx: WindowContext, spec: OffsetSpec): Col {
  const source = ctx.column(spec.input)
  return withDefault(ctx, spec, source, sourceRows(ctx, spec))
}
