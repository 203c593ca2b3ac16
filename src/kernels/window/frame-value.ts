/**
 * first_value / last_value / nth_value: the input at the frame's first, last or n-th position
 * (from 1); null when the frame is empty or shorter than n. With IGNORE NULLS the positions
 * counted are those with a non-null input, so `last_value(x IGNORE NULLS)` fills forward.
 * A gather of input rows: dictionary strings keep their dictionary.
 */
import type { Col } from '../column.js'
import { takeCol } from '../take.js'
import type { WindowContext } from './context.js'
import type { FrameValueSpec, NthValueSpec, WindowFrame } from './spec.js'

export function frameValueColumn(ctx: WindowContext, spec: FrameValueSpec | NthValueSpec, frame: WindowFrame): Col {
  const { order, dest, n } = ctx.layout
  const { start, end } = ctx.frame(frame)
  const rows = new Int32Array(n)
  // The frame's n-th position counting from its start (negative: from its end, -1 the last).
  const nth = spec.fn === 'nthValue' ? spec.n : spec.fn === 'firstValue' ? 1 : -1
  if (spec.ignoreNulls) {
    const { prefix, positions } = ctx.nonNull(spec.input)
    for (let k = 0; k < n; k++) {
      // The frame's non-null inputs are positions[from … to - 1].
      const from = prefix[start[k]!]!
      const to = prefix[end[k]!]!
      const c = nth > 0 ? from + nth - 1 : to + nth
      rows[dest[k]!] = c >= from && c < to ? order[positions[c]!]! : -1
    }
  } else {
    for (let k = 0; k < n; k++) {
      const s = start[k]!
      const e = end[k]!
      const j = nth > 0 ? s + nth - 1 : e + nth
      rows[dest[k]!] = j >= s && j < e ? order[j]! : -1
    }
  }
  return takeCol(ctx.column(spec.input), rows)
}
