/**
 * The row pairs of a cross join (cartesian product), left-major: for each left row in order, every
 * right row in order. Meant for small sides; above `maxRows` output rows it throws before
 * allocating, since a product of two ordinary tables exhausts memory long before it finishes.
 */
import { checkOutputRows, DEFAULT_CROSS_JOIN_MAX_ROWS, type JoinIndices } from '../../types/join-how.js'

export function crossJoinIndices(
  leftRows: number,
  rightRows: number,
  maxRows: number = DEFAULT_CROSS_JOIN_MAX_ROWS,
): JoinIndices {
  checkOutputRows(
    `a cross join of ${leftRows.toLocaleString('en-US')} × ${rightRows.toLocaleString('en-US')} rows`,
    leftRows * rightRows,
    maxRows,
    'Add an equality condition to make it a hash join, filter a side first',
  )
  const n = leftRows * rightRows
  const left = new Int32Array(n)
  const right = new Int32Array(n)
  let o = 0
  for (let i = 0; i < leftRows; i++) {
    left.fill(i, o, o + rightRows)
    for (let j = 0; j < rightRows; j++) right[o + j] = j
    o += rightRows
  }
  return { left, right }
}
