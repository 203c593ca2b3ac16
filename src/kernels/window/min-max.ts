/**
 * min / max over forward-moving frames with a monotonic deque, O(n) whatever the frame's width:
 * the deque holds the positions of the window's non-null inputs that could still become its
 * best, best at the head. A new input first drops from the back every input it beats (they can
 * never win again: it is better and stays longer); the head leaves once the frame's start passes
 * it. Ties stay, so the head is the frame's first best input, as the group-by's min / max keeps
 * the first row. Any ordered dtype (the group-by's order: NaN above every number, strings by
 * UTF-8 bytes, false < true); the result is a gather, so dictionary strings keep their dictionary.
 */
import type { Col } from '../column.js'
import { valueComparator } from '../row-compare.js'
import { takeCol } from '../take.js'
import type { WindowContext } from './context.js'
import type { WindowFrame } from './spec.js'

export function minMaxColumn(ctx: WindowContext, input: number, frame: WindowFrame, max: boolean): Col {
  const col = ctx.column(input)
  const { order, dest, n } = ctx.layout
  const { start, end } = ctx.frame(frame)
  const compare = valueComparator(col)
  const valid = col.valid
  const deque = new Int32Array(n)
  const rows = new Int32Array(n)
  let head = 0
  let tail = 0
  let hi = 0
  for (let k = 0; k < n; k++) {
    const e = end[k]!
    for (; hi < e; hi++) {
      const row = order[hi]!
      if (valid !== null && !valid[row]) continue
      if (max) while (tail > head && compare(row, order[deque[tail - 1]!]!) > 0) tail--
      else while (tail > head && compare(row, order[deque[tail - 1]!]!) < 0) tail--
      deque[tail++] = hi
    }
    const s = start[k]!
    while (tail > head && deque[head]! < s) head++
    rows[dest[k]!] = tail > head ? order[deque[head]!]! : -1
  }
  return takeCol(col, rows)
}
