/**
 * A naive window function reference: per row, find its partition (rows with equal PARTITION BY
 * values), sort that partition stably by ORDER BY, find the row's position, its peers and its frame
 * as lists of rows, then apply the function to those rows. Plain JS values, no typed arrays, and
 * nothing shared with the kernels but the spec types. Quadratic and proud of it.
 */
import type { FrameBound, WindowClause, WindowFrame, WindowFunctionSpec } from '../../../src/kernels/window/index.js'
import type { Cell } from '../helpers.js'
import { compareCells, compareRowsBy } from '../reference.js'

const I64_MAX = 2n ** 63n - 1n

function cellsEqual(a: Cell, b: Cell): boolean {
  if (a === null || b === null) return a === b
  return compareCells(a, b) === 0
}

interface Placed {
  /** Input row indexes of the partition, in window order. */
  readonly sorted: number[]
  /** The row's position in `sorted`. */
  readonly pos: number
  /** Compares two positions by ORDER BY only (0 for peers). */
  readonly cmp: (p: number, q: number) => number
}

function place(rows: readonly Cell[][], clause: WindowClause, i: number): Placed {
  const partition = rows
    .map((_, j) => j)
    .filter((j) => clause.partitionBy.every((c) => cellsEqual(rows[j]![c]!, rows[i]![c]!)))
  const byOrder = compareRowsBy(clause.orderBy)
  const sorted = [...partition].sort((a, b) => byOrder(rows[a]!, rows[b]!) || a - b)
  return { sorted, pos: sorted.indexOf(i), cmp: (p, q) => byOrder(rows[sorted[p]!]!, rows[sorted[q]!]!) }
}

/** The frame as positions of `sorted`. */
function framePositions(placed: Placed, frame: WindowFrame): number[] {
  const { sorted, pos, cmp } = placed
  const size = sorted.length
  const peers = sorted.map((_, q) => q).filter((q) => cmp(q, pos) === 0)
  const at = (b: FrameBound, isStart: boolean): number => {
    switch (b.kind) {
      case 'unboundedPreceding':
        return 0
      case 'unboundedFollowing':
        return size - 1
      case 'currentRow':
        if (frame.unit === 'range') return isStart ? Math.min(...peers) : Math.max(...peers)
        return pos
      case 'preceding':
        return pos - b.offset
      case 'following':
        return pos + b.offset
    }
  }
  const out: number[] = []
  for (let q = Math.max(0, at(frame.start, true)); q <= Math.min(size - 1, at(frame.end, false)); q++) out.push(q)
  return out
}

const DEFAULT: WindowFrame = { unit: 'range', start: { kind: 'unboundedPreceding' }, end: { kind: 'currentRow' } }

function ntileOf(size: number, buckets: number, pos: number): number {
  const b = Math.min(buckets, size)
  const tiles: number[] = []
  for (let t = 1; t <= b; t++) {
    const rowsInTile = Math.floor(size / b) + (t <= size % b ? 1 : 0)
    for (let r = 0; r < rowsInTile; r++) tiles.push(t)
  }
  return tiles[pos]!
}

function best(values: Cell[], max: boolean): Cell {
  let out: Cell = null
  for (const v of values) if (out === null || (max ? compareCells(v, out) > 0 : compareCells(v, out) < 0)) out = v
  return out
}

function aggregate(fn: 'sum' | 'mean', values: Cell[], float: boolean): Cell {
  if (values.length === 0) return null
  if (float) {
    const s = (values as number[]).reduce((a, b) => a + b, 0)
    return fn === 'sum' ? s : s / values.length
  }
  const s = values.reduce<bigint>((a, v) => a + BigInt(v as number | bigint), 0n)
  if (fn === 'mean') return exactQuotient(s, values.length)
  if (s > I64_MAX || s < -I64_MAX - 1n) throw new Error(`OVERFLOW ${s}`)
  return s
}

/** The spec's value for input row `i`. */
export function naiveWindowCell(
  rows: readonly Cell[][],
  clause: WindowClause,
  spec: WindowFunctionSpec,
  i: number,
): Cell {
  const placed = place(rows, clause, i)
  const { sorted, pos, cmp } = placed
  const size = sorted.length
  const before = sorted.map((_, q) => q).filter((q) => cmp(q, pos) < 0)
  const input = (q: number): Cell => ('input' in spec ? rows[sorted[q]!]![spec.input]! : null)
  switch (spec.fn) {
    case 'rowNumber':
      return BigInt(pos + 1)
    case 'rank':
      return BigInt(before.length + 1)
    case 'denseRank': {
      let groups = 0
      for (let q = 0; q < before.length; q++) if (q === 0 || cmp(q - 1, q) !== 0) groups++
      return BigInt(groups + 1)
    }
    case 'percentRank':
      return size === 1 ? 0 : before.length / (size - 1)
    case 'cumeDist':
      return sorted.filter((_, q) => cmp(q, pos) <= 0).length / size
    case 'ntile':
      return BigInt(ntileOf(size, spec.buckets, pos))
    case 'lag':
    case 'lead': {
      let steps = (spec.fn === 'lag' ? -1 : 1) * (spec.offset ?? 1)
      const dir = Math.sign(steps)
      let q = pos
      if (spec.ignoreNulls) {
        while (steps !== 0 && q >= 0 && q < size) {
          q += dir
          if (q >= 0 && q < size && input(q) !== null) steps -= dir
        }
      } else q = pos + steps
      if (q >= 0 && q < size) return input(q)
      const d = spec.default
      if (d === undefined) return null
      return d.kind === 'column' ? rows[i]![d.index]! : literalCell(d.value, spec.inputDType)
    }
    default:
      break
  }
  const frame = framePositions(placed, spec.frame ?? DEFAULT)
  if (spec.fn === 'countAll') return BigInt(frame.length)
  const all = frame.map(input)
  const nonNull = all.filter((v) => v !== null)
  switch (spec.fn) {
    case 'firstValue':
    case 'lastValue':
    case 'nthValue': {
      const pool = spec.ignoreNulls ? nonNull : all
      const n = spec.fn === 'nthValue' ? spec.n : spec.fn === 'firstValue' ? 1 : pool.length
      return n >= 1 && n <= pool.length ? pool[n - 1]! : null
    }
    case 'count':
      return BigInt(nonNull.length)
    case 'sum':
    case 'mean':
      return aggregate(spec.fn, nonNull, spec.inputDType === 'float64')
    case 'min':
    case 'max':
      return best(nonNull, spec.fn === 'max')
  }
}

/**
 * sum / count rounded once: the decimal expansion with 80 fraction digits, read by parseFloat
 * (which rounds correctly). For denominators this small the truncated digits never cross the
 * midpoint between two doubles.
 */
function exactQuotient(sum: bigint, count: number): number {
  const c = BigInt(count)
  const negative = sum < 0n
  const a = negative ? -sum : sum
  const fraction = ((a % c) * 10n ** 80n) / c
  const text = `${negative ? '-' : ''}${a / c}.${fraction.toString().padStart(80, '0')}`
  return Number.parseFloat(text)
}

function literalCell(value: unknown, dtype: string): Cell {
  if (value === null) return null
  if (dtype === 'int64') return BigInt(value as string)
  return value as Cell
}

export function naiveWindowColumn(rows: readonly Cell[][], clause: WindowClause, spec: WindowFunctionSpec): Cell[] {
  return rows.map((_, i) => naiveWindowCell(rows, clause, spec, i))
}
