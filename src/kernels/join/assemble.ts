/**
 * The join result as a batch: every output column (output-columns.ts) gathered from its input by
 * the join's row indices (take.ts; -1 gives a null row). Dictionary columns keep their dictionary.
 * When the left indices are exactly 0, 1, …, n-1 (an inner or left join that built the right side
 * and found one match per left row, the usual lookup of a dimension table), the left columns are
 * reused as they are instead of gathered.
 */
import type { Data, RecordBatch } from 'apache-arrow'
import { columnData, makeBatch } from '../../types/arrow-types.js'
import type { JoinOutputColumn } from '../../types/join-columns.js'
import type { JoinIndices } from '../../types/join-how.js'
import { TsdaskError } from '../../util/errors.js'
import { coalesce } from '../coalesce.js'
import { readColumn, toData } from '../column.js'
import { takeCol, takeData } from '../take.js'

interface Gather {
  readonly indices: Int32Array
  readonly identity: boolean
  readonly anyNegative: boolean
}

function gatherOf(indices: Int32Array, inputRows: number): Gather {
  let identity = indices.length === inputRows
  let anyNegative = false
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!
    if (j !== i) identity = false
    if (j < 0) anyNegative = true
  }
  return { indices, identity, anyNegative }
}

function gathered(batch: RecordBatch, index: number, g: Gather): Data {
  const data = columnData(batch, index)
  return g.identity ? data : takeData(data, g.indices, g.anyNegative)
}

export function assembleJoin(
  left: RecordBatch,
  right: RecordBatch,
  indices: JoinIndices,
  columns: readonly JoinOutputColumn[],
): RecordBatch {
  const n = indices.left.length
  const l = gatherOf(indices.left, left.numRows)
  const r = indices.right === null ? null : gatherOf(indices.right, right.numRows)
  const rightGather = (): Gather => {
    if (r === null) throw new TsdaskError('INTERNAL', 'a semi or anti join has no right columns to output')
    return r
  }
  const datas = columns.map((c) => {
    const s = c.source
    if (s.side === 'left') return gathered(left, s.index, l)
    if (s.side === 'right') return gathered(right, s.index, rightGather())
    const rg = rightGather()
    const keys = [
      takeCol(readColumn(columnData(left, s.left)), l.indices, l.anyNegative),
      takeCol(readColumn(columnData(right, s.right)), rg.indices, rg.anyNegative),
    ]
    return toData(coalesce(keys, n))
  })
  return makeBatch(
    columns.map((c) => c.name),
    datas,
    n,
  )
}
