/**
 * Filtering inside the CSV reader, so rejected rows never become Arrow data: for each batch of
 * tokenized records, only the columns the predicate reads are parsed (into a small, short-lived
 * batch), the predicate is evaluated on them by the ordinary kernels, and the field bounds of the
 * output columns are compacted to the kept rows before any output column is parsed. The scan's
 * filters are one conjunction, evaluated as the Filter kernel does (kernels/filter.ts): each
 * conjunct only on the rows the earlier ones kept, so a filter that fails on rows an earlier
 * filter rejects (`s <> 'N/A'`, then `cast(s AS int) > 5`) reads the file as the stacked filters would.
 *
 * Trade-off, on purpose: an output cell of a rejected row is never parsed, so a malformed value
 * there is not an error (exactly as for a column nobody asked for). A column that is both read by
 * the predicate and output is parsed twice, once for all rows, once for kept rows only.
 */
import { predicateMask, selectionOf } from '../../kernels/filter.js'
import type { PhysicalExpr } from '../../kernels/physical-expr.js'
import { makeBatch } from '../../types/arrow-types.js'
import type { Field } from '../../types/schema.js'
import { makeColumnBuilder } from './columns.js'
import type { NullMatcher } from './options.js'

export interface Selected {
  /** Rows kept (their bounds now fill slots 0..kept-1 of each output column). */
  readonly kept: number
  /** The slot of an unparsable predicate cell, or -1. */
  readonly badSlot: number
}

export class RowFilter {
  /** File column indexes to tokenize: the output columns, then the predicate-only ones. */
  readonly fields: readonly number[]
  readonly #numOutput: number
  /** For each predicate column, its position in `fields`. */
  readonly #positions: readonly number[]
  readonly #names: readonly string[]
  readonly #dtypes: readonly Field['dtype'][]

  constructor(
    fileSchema: readonly Field[],
    columns: readonly number[],
    predicateColumns: readonly number[],
    readonly predicate: PhysicalExpr,
  ) {
    const fields = [...columns]
    this.#positions = predicateColumns.map((c) => {
      const at = fields.indexOf(c)
      if (at >= 0) return at
      fields.push(c)
      return fields.length - 1
    })
    this.fields = fields
    this.#numOutput = columns.length
    this.#names = predicateColumns.map((c) => fileSchema[c]!.name)
    this.#dtypes = predicateColumns.map((c) => fileSchema[c]!.dtype)
  }

  /** Evaluates the predicate on `count` records laid out column-major with stride `stride`; compacts kept rows. */
  select(
    buf: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    stride: number,
    count: number,
    nulls: NullMatcher,
  ): Selected {
    const data = []
    for (let p = 0; p < this.#positions.length; p++) {
      const base = this.#positions[p]! * stride
      const builder = makeColumnBuilder(this.#dtypes[p]!, count)
      const bad = builder.appendBatch(buf, starts, ends, base, count, nulls)
      if (bad >= 0) return { kept: 0, badSlot: bad }
      data.push(builder.finish())
    }
    const mask = predicateMask(makeBatch(this.#names, data, count), this.predicate)
    const selection = selectionOf(mask.values, mask.valid, count)
    const kept = selection.length
    if (kept === count) return { kept, badSlot: -1 }
    // In place and forward: selection[k] >= k, so no bound is overwritten before it is read.
    for (let j = 0; j < this.#numOutput; j++) {
      const base = j * stride
      for (let k = 0; k < kept; k++) {
        const from = base + selection[k]!
        starts[base + k] = starts[from]!
        ends[base + k] = ends[from]!
      }
    }
    return { kept, badSlot: -1 }
  }
}
