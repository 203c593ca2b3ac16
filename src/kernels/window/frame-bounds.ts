/**
 * Each position's frame as a half-open range of positions [start, end), clamped to its partition.
 *
 * Every frame tsdask accepts (validate.ts) moves forward: start and end never decrease from one
 * position to the next, across partitions too (a partition's frames lie in it, and partitions
 * follow each other). The framed aggregates rely on it to slide one window over all positions in
 * O(n) (sum.ts, min-max.ts). A validated frame also never has start > end; an empty frame has
 * start = end.
 */
import type { WindowLayout } from './layout.js'
import type { FrameBound, WindowFrame } from './spec.js'

export interface FrameRanges {
  readonly start: Int32Array
  readonly end: Int32Array
}

/** Row-count bounds: the bound's row is k + delta; an end is exclusive, so one past it. */
function fillRows(out: Int32Array, partitions: Int32Array, delta: number): void {
  for (let p = 0; p + 1 < partitions.length; p++) {
    const ps = partitions[p]!
    const pe = partitions[p + 1]!
    for (let k = ps; k < pe; k++) {
      const at = k + delta
      out[k] = Math.min(pe, Math.max(ps, at))
    }
  }
}

/** Every position of run r gets `first ? runs[r] : runs[r + 1]` (a partition's or a peer group's edge). */
function fillRuns(out: Int32Array, runs: Int32Array, first: boolean): void {
  for (let r = 0; r + 1 < runs.length; r++) out.fill(first ? runs[r]! : runs[r + 1]!, runs[r]!, runs[r + 1]!)
}

function fillBound(out: Int32Array, layout: WindowLayout, frame: WindowFrame, bound: FrameBound, isEnd: boolean): void {
  const past = isEnd ? 1 : 0
  switch (bound.kind) {
    case 'unboundedPreceding':
      fillRuns(out, layout.partitions, true)
      break
    case 'unboundedFollowing':
      fillRuns(out, layout.partitions, false)
      break
    case 'currentRow':
      if (frame.unit === 'range') fillRuns(out, layout.peers, !isEnd)
      else fillRows(out, layout.partitions, past)
      break
    case 'preceding':
      fillRows(out, layout.partitions, past - bound.offset)
      break
    case 'following':
      fillRows(out, layout.partitions, past + bound.offset)
      break
  }
}

export function frameRanges(layout: WindowLayout, frame: WindowFrame): FrameRanges {
  const start = new Int32Array(layout.n)
  const end = new Int32Array(layout.n)
  fillBound(start, layout, frame, frame.start, false)
  fillBound(end, layout, frame, frame.end, true)
  return { start, end }
}

/** A key telling frames apart, so specs sharing a frame share its ranges. */
export function frameKey(frame: WindowFrame): string {
  const bound = (b: FrameBound): string => ('offset' in b ? `${b.kind}:${b.offset}` : b.kind)
  return `${frame.unit}|${bound(frame.start)}|${bound(frame.end)}`
}
