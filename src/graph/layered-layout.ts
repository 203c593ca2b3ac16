/**
 * A layered ("Sugiyama-style") layout for drawing a DAG without Graphviz, as `toSvg` needs:
 *
 * 1. Rows: a node sits one row above its highest dependency (longest path from the inputs), so
 *    every edge points upward and a chain of per-partition steps forms a column.
 * 2. Order within a row: a few sweeps up and down, each sorting a row by the mean position of the
 *    node's neighbours in the rows already placed (barycentres), which removes most crossings.
 *    Ties keep graph order, so the layout is deterministic.
 * 3. Horizontal position: sweeping up, then down, a node wants to sit at the mean centre of its
 *    neighbours in the row just placed; a left-to-right and a right-to-left packing pass, averaged,
 *    then a final left-to-right pass, keep the row's order and the gap between boxes.
 *
 * Edges are not routed around boxes; long edges are drawn as curves between their end boxes,
 * which is enough for the graphs tsdask builds (chains per partition joined by combine trees).
 */
import { TsdaskError } from '../util/errors.js'

export interface LayoutNode {
  readonly width: number
  readonly height: number
}

export interface PlacedNode {
  /** Top-left corner. */
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  /** 0 for the inputs (drawn at the bottom), growing upward. */
  readonly row: number
}

export interface Layout {
  readonly nodes: readonly PlacedNode[]
  readonly width: number
  readonly height: number
}

export interface LayoutOptions {
  readonly gapX?: number
  readonly gapY?: number
  readonly margin?: number
}

const ORDER_SWEEPS = 4
const POSITION_ROUNDS = 4

/** Positions for `nodes` (by index) with `edges` as `[from, to]` index pairs (from is drawn below). */
export function layeredLayout(
  nodes: readonly LayoutNode[],
  edges: readonly (readonly [number, number])[],
  options: LayoutOptions = {},
): Layout {
  const gapX = options.gapX ?? 16
  const gapY = options.gapY ?? 36
  const margin = options.margin ?? 12
  const below: number[][] = nodes.map(() => [])
  const above: number[][] = nodes.map(() => [])
  for (const [from, to] of edges) {
    below[to]!.push(from)
    above[from]!.push(to)
  }
  const rowOf = rows(nodes.length, below, above)
  const ordered = orderRows(rowOf, below, above)
  const centres = positions(ordered, nodes, below, above, gapX)

  const rowCount = ordered.length
  const rowHeight = ordered.map((row) => Math.max(0, ...row.map((n) => nodes[n]!.height)))
  // Row 0 at the bottom: y grows downward in SVG, so the top row comes first.
  const rowTop: number[] = new Array(rowCount).fill(0)
  let y = margin
  for (let r = rowCount - 1; r >= 0; r--) {
    rowTop[r] = y
    y += rowHeight[r]! + gapY
  }
  let minLeft = Number.POSITIVE_INFINITY
  let maxRight = 0
  for (let n = 0; n < nodes.length; n++) {
    minLeft = Math.min(minLeft, centres[n]! - nodes[n]!.width / 2)
    maxRight = Math.max(maxRight, centres[n]! + nodes[n]!.width / 2)
  }
  const shift = nodes.length === 0 ? 0 : margin - minLeft
  const placed = nodes.map((node, n): PlacedNode => {
    const row = rowOf[n]!
    return {
      x: round(centres[n]! - node.width / 2 + shift),
      y: round(rowTop[row]! + (rowHeight[row]! - node.height) / 2),
      width: node.width,
      height: node.height,
      row,
    }
  })
  return {
    nodes: placed,
    width: round(nodes.length === 0 ? 2 * margin : maxRight - minLeft + 2 * margin),
    height: round(rowCount === 0 ? 2 * margin : y - gapY + margin),
  }
}

/** Longest path from a node without dependencies, by Kahn's algorithm (a cycle is a caller bug). */
function rows(count: number, below: readonly number[][], above: readonly number[][]): number[] {
  const row: number[] = new Array(count).fill(0)
  const waiting = below.map((deps) => deps.length)
  const ready: number[] = []
  for (let n = 0; n < count; n++) if (waiting[n] === 0) ready.push(n)
  let seen = 0
  for (let i = 0; i < ready.length; i++) {
    const n = ready[i]!
    seen++
    for (const next of above[n]!) {
      row[next] = Math.max(row[next]!, row[n]! + 1)
      if (--waiting[next]! === 0) ready.push(next)
    }
  }
  if (seen !== count) {
    throw new TsdaskError('INTERNAL', 'cannot draw the task graph: it has a cycle. This is a bug in tsdask.')
  }
  return row
}

/** Nodes of each row, in drawing order (left to right). */
function orderRows(rowOf: readonly number[], below: readonly number[][], above: readonly number[][]): number[][] {
  const rowCount = rowOf.length === 0 ? 0 : Math.max(...rowOf) + 1
  const ordered: number[][] = Array.from({ length: rowCount }, () => [])
  for (let n = 0; n < rowOf.length; n++) ordered[rowOf[n]!]!.push(n)
  // Position of a node within its row as a fraction, so rows of different sizes compare.
  const place = new Float64Array(rowOf.length)
  const record = (row: readonly number[]) => {
    row.forEach((n, i) => {
      place[n] = (i + 0.5) / row.length
    })
  }
  for (const row of ordered) record(row)
  const sortBy = (row: number[], neighbours: readonly number[][]) => {
    const key = new Map<number, number>()
    for (const n of row) {
      const list = neighbours[n]!
      key.set(n, list.length === 0 ? place[n]! : list.reduce((s, m) => s + place[m]!, 0) / list.length)
    }
    row.sort((a, b) => key.get(a)! - key.get(b)! || place[a]! - place[b]!)
    record(row)
  }
  for (let sweep = 0; sweep < ORDER_SWEEPS; sweep++) {
    for (let r = 1; r < rowCount; r++) sortBy(ordered[r]!, below)
    for (let r = rowCount - 2; r >= 0; r--) sortBy(ordered[r]!, above)
  }
  return ordered
}

/** Horizontal centre of every node: near its neighbours, never overlapping within a row. */
function positions(
  ordered: readonly number[][],
  nodes: readonly LayoutNode[],
  below: readonly number[][],
  above: readonly number[][],
  gapX: number,
): Float64Array {
  const centre = new Float64Array(nodes.length)
  const width = (n: number) => nodes[n]!.width
  for (const row of ordered) {
    let x = 0
    for (const n of row) {
      centre[n] = x + width(n) / 2
      x += width(n) + gapX
    }
  }
  // Centre narrower rows under the widest, so the first rounds start from a balanced picture.
  const span = (row: readonly number[]) => row.reduce((s, n) => s + width(n) + gapX, -gapX)
  const widest = Math.max(0, ...ordered.map(span))
  for (const row of ordered) {
    const offset = (widest - span(row)) / 2
    for (const n of row) centre[n]! += offset
  }
  const place = (row: readonly number[], neighbours: readonly number[][]) => {
    const wanted = row.map((n) => {
      const near = neighbours[n]!
      return near.length === 0 ? centre[n]! : near.reduce((s, m) => s + centre[m]!, 0) / near.length
    })
    const left = packLeftToRight(row, wanted, width, gapX)
    const right = packRightToLeft(row, wanted, width, gapX)
    const averaged = left.map((x, i) => (x + right[i]!) / 2)
    packLeftToRight(row, averaged, width, gapX).forEach((x, i) => {
      centre[row[i]!] = x
    })
  }
  // Alternate upward sweeps (a node over what it reads) and downward ones (under its readers);
  // the last sweep is upward, so a chain of per-partition steps ends in one straight column.
  for (let round = 0; round < POSITION_ROUNDS; round++) {
    for (let r = 1; r < ordered.length; r++) place(ordered[r]!, below)
    if (round === POSITION_ROUNDS - 1) break
    for (let r = ordered.length - 2; r >= 0; r--) place(ordered[r]!, above)
  }
  return centre
}

/** Each box as near its wanted centre as the box to its left allows. */
function packLeftToRight(row: readonly number[], wanted: readonly number[], width: (n: number) => number, gap: number) {
  const out: number[] = []
  let rightEdge = Number.NEGATIVE_INFINITY
  row.forEach((n, i) => {
    const centre = Math.max(wanted[i]!, rightEdge + gap + width(n) / 2)
    out.push(centre)
    rightEdge = centre + width(n) / 2
  })
  return out
}

/** Each box as near its wanted centre as the box to its right allows. */
function packRightToLeft(row: readonly number[], wanted: readonly number[], width: (n: number) => number, gap: number) {
  const out: number[] = new Array(row.length)
  let leftEdge = Number.POSITIVE_INFINITY
  for (let i = row.length - 1; i >= 0; i--) {
    const n = row[i]!
    const centre = Math.min(wanted[i]!, leftEdge - gap - width(n) / 2)
    out[i] = centre
    leftEdge = centre - width(n) / 2
  }
  return out
}

function round(value: number): number {
  return Math.round(value * 10) / 10
}
