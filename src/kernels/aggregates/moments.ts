/**
 * stddev, variance and corr as mergeable moments, so they run partial → combine → final like sum.
 *
 * State per group: the count n, the mean(s) and the sums of squared deviations from the mean
 * (m2; for corr also the co-moment cxy = Σ (x - x̄)(y - ȳ)). A partition computes them in two
 * passes (means, then deviations), which is as accurate as Welford and branch-free:
 * - the mean is taken of the data shifted by the group's first value K (x̄ = K + Σ(x - K) / n), so a
 *   group whose values are all equal has x̄ = K exactly, every deviation is exactly 0, and its
 *   variance is exactly 0 as in DuckDB (a plain Σx / n of ten 0.1s is 0.09999999999999999, which
 *   made stddev 1e-17 and `x % stddev(...)` a number where DuckDB has NULLIF(0, 0) = NULL);
 * - m2 gets the correction term of the corrected two-pass algorithm, m2 = Σd² - (Σd)² / n, which
 *   removes what rounding of the mean leaves in the deviations (Chan, Golub & LeVeque 1983).
 * Partial states merge with Chan, Golub & LeVeque's pairwise update (δ = x̄b - x̄a, n = na + nb):
 *   x̄ = x̄a + δ·nb/n,   m2 = m2a + m2b + δ²·na·nb/n,   cxy = cxya + cxyb + δx·δy·na·nb/n
 * which is associative up to rounding and never subtracts two large sums (the naive Σx² - n·x̄²
 * loses every digit when the mean is large relative to the spread). A group's first state is
 * copied as it is (x̄ + δ·nb/nb need not give back x̄ exactly), so equal means give δ = 0 and
 * states of a constant group merge to m2 = 0 across any partitioning.
 *
 * Finals follow DuckDB: var_samp = m2 / (n - 1) and stddev_samp = √var_samp, null for n < 2;
 * corr = cxy / √(m2x·m2y): null when there are no pairs, NaN when either side has zero variance
 * (one pair included), as DuckDB's corr (0 / 0).
 * State values of a group with n = 0 are ignored (an empty global aggregate's state is all null).
 */
import type { Col, Float64Col } from '../column.js'
import { asFloat64 } from './float-input.js'

/** Column order of the one-variable state: n, mean, m2. */
export const MOMENT_SUFFIXES = ['n', 'mean', 'm2'] as const
/** Column order of corr's state. */
export const CO_MOMENT_SUFFIXES = ['n', 'meanX', 'meanY', 'm2X', 'm2Y', 'cXY'] as const

function floatCol(values: Float64Array, valid: Uint8Array | null = null): Float64Col {
  return { kind: 'float64', length: values.length, values, valid }
}

/**
 * Per group, the mean of the valid values of `v` (shifted by the group's first value, see the
 * file's comment); `n` gets the counts.
 */
function shiftedMeans(
  v: Float64Array,
  valid: Uint8Array | null,
  length: number,
  ids: Int32Array,
  n: Float64Array,
): Float64Array {
  const shift = new Float64Array(n.length)
  const sum = new Float64Array(n.length)
  for (let i = 0; i < length; i++) {
    if (valid !== null && !valid[i]) continue
    const g = ids[i]!
    // ±Infinity or NaN as the shift would make every x - K NaN: such a group shifts by 0.
    if (n[g] === 0 && Number.isFinite(v[i]!)) shift[g] = v[i]!
    n[g]!++
    sum[g]! += v[i]! - shift[g]!
  }
  for (let g = 0; g < n.length; g++) if (n[g]! > 0) shift[g]! += sum[g]! / n[g]!
  return shift
}

/**
 * The corrected two-pass sum Σd² - (Σd)² / n (a co-moment: Σdx·dy - Σdx·Σdy / n); the plain sum
 * where the correction is not finite (±Infinity or NaN in the data).
 */
function corrected(sumSquares: number, sumX: number, sumY: number, n: number): number {
  if (sumX === 0 || sumY === 0) return sumSquares
  const c = sumSquares - (sumX * sumY) / n
  return Number.isFinite(c) ? c : sumSquares
}

/** n, mean, m2 per group of the non-null values of `input`. */
export function partialMoments(input: Col, ids: Int32Array, groups: number): Col[] {
  const x = asFloat64(input, 'stddev/variance')
  const v = x.values
  const valid = x.valid
  const n = new Float64Array(groups)
  const mean = shiftedMeans(v, valid, x.length, ids, n)
  const m2 = new Float64Array(groups)
  const sumD = new Float64Array(groups)
  for (let i = 0; i < x.length; i++) {
    if (valid !== null && !valid[i]) continue
    const g = ids[i]!
    const d = v[i]! - mean[g]!
    m2[g]! += d * d
    sumD[g]! += d
  }
  for (let g = 0; g < groups; g++) m2[g] = Math.max(0, corrected(m2[g]!, sumD[g]!, sumD[g]!, n[g]!))
  return [floatCol(n), floatCol(mean), floatCol(m2)]
}

/** n, x̄, ȳ, m2x, m2y, cxy per group over the rows where both inputs are non-null. */
export function partialCoMoments(xIn: Col, yIn: Col, ids: Int32Array, groups: number): Col[] {
  const x = asFloat64(xIn, 'corr')
  const y = asFloat64(yIn, 'corr')
  const xv = x.values
  const yv = y.values
  const both = pairValidity(x.valid, y.valid, x.length)
  const n = new Float64Array(groups)
  const mx = shiftedMeans(xv, both, x.length, ids, n)
  const my = shiftedMeans(yv, both, x.length, ids, new Float64Array(groups))
  const m2x = new Float64Array(groups)
  const m2y = new Float64Array(groups)
  const cxy = new Float64Array(groups)
  const sumDx = new Float64Array(groups)
  const sumDy = new Float64Array(groups)
  for (let i = 0; i < x.length; i++) {
    if (both !== null && !both[i]) continue
    const g = ids[i]!
    const dx = xv[i]! - mx[g]!
    const dy = yv[i]! - my[g]!
    m2x[g]! += dx * dx
    m2y[g]! += dy * dy
    cxy[g]! += dx * dy
    sumDx[g]! += dx
    sumDy[g]! += dy
  }
  for (let g = 0; g < groups; g++) {
    m2x[g] = Math.max(0, corrected(m2x[g]!, sumDx[g]!, sumDx[g]!, n[g]!))
    m2y[g] = Math.max(0, corrected(m2y[g]!, sumDy[g]!, sumDy[g]!, n[g]!))
    cxy[g] = corrected(cxy[g]!, sumDx[g]!, sumDy[g]!, n[g]!)
  }
  return [n, mx, my, m2x, m2y, cxy].map((a) => floatCol(a))
}

function pairValidity(a: Uint8Array | null, b: Uint8Array | null, length: number): Uint8Array | null {
  if (a === null) return b
  if (b === null) return a
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) out[i] = a[i]! & b[i]!
  return out
}

/** Reads a state column as doubles, a null slot as 0 (a group with n = 0 contributes nothing). */
function stateValues(col: Col): Float64Array {
  const f = asFloat64(col, 'moment state')
  if (f.valid === null) return f.values
  const out = f.values.slice()
  for (let i = 0; i < f.length; i++) if (!f.valid[i]) out[i] = 0
  return out
}

/**
 * Merges state rows (one or two variables) into `groups` states with Chan's update. `states` is
 * [n, mean…, m2…, cxy?] in the layout of MOMENT_SUFFIXES / CO_MOMENT_SUFFIXES.
 */
export function mergeMoments(states: readonly Col[], ids: Int32Array, groups: number): Col[] {
  const pair = states.length === CO_MOMENT_SUFFIXES.length
  const vars = pair ? 2 : 1
  const cols = states.map(stateValues)
  const rowN = cols[0]!
  const n = new Float64Array(groups)
  const mean = [new Float64Array(groups), new Float64Array(groups)]
  const m2 = [new Float64Array(groups), new Float64Array(groups)]
  const c = new Float64Array(groups)
  const rowMean = [cols[1]!, cols[pair ? 2 : 1]!]
  const rowM2 = [cols[pair ? 3 : 2]!, cols[pair ? 4 : 2]!]
  const rowC = pair ? cols[5]! : null
  const delta = [0, 0]
  for (let i = 0; i < rowN.length; i++) {
    const nb = rowN[i]!
    if (nb === 0) continue
    const g = ids[i]!
    const na = n[g]!
    const total = na + nb
    if (na === 0) {
      for (let k = 0; k < vars; k++) {
        mean[k]![g] = rowMean[k]![i]!
        m2[k]![g] = rowM2[k]![i]!
      }
      if (rowC !== null) c[g] = rowC[i]!
      n[g] = nb
      continue
    }
    for (let k = 0; k < vars; k++) {
      const d = rowMean[k]![i]! - mean[k]![g]!
      delta[k] = d
      mean[k]![g]! += (d * nb) / total
      m2[k]![g]! += rowM2[k]![i]! + (d * d * na * nb) / total
    }
    if (rowC !== null) c[g]! += rowC[i]! + (delta[0]! * delta[1]! * na * nb) / total
    n[g] = total
  }
  if (!pair) return [n, mean[0]!, m2[0]!].map((a) => floatCol(a))
  return [n, mean[0]!, mean[1]!, m2[0]!, m2[1]!, c].map((a) => floatCol(a))
}

/** Sample variance (or its square root), null where n < 2. */
export function finalVariance(states: readonly Col[], sqrt: boolean): Col {
  const n = stateValues(states[0]!)
  const m2 = stateValues(states[2]!)
  const out = new Float64Array(n.length)
  const valid = new Uint8Array(n.length)
  for (let g = 0; g < n.length; g++) {
    if (n[g]! < 2) continue
    const v = m2[g]! / (n[g]! - 1)
    out[g] = sqrt ? Math.sqrt(v) : v
    valid[g] = 1
  }
  return floatCol(out, valid)
}

/** Pearson correlation: null where there are no pairs, NaN where either variable has zero variance (DuckDB). */
export function finalCorr(states: readonly Col[]): Col {
  const [n, , , m2x, m2y, cxy] = states.map(stateValues) as [Float64Array, ...Float64Array[]]
  const out = new Float64Array(n.length)
  const valid = new Uint8Array(n.length)
  for (let g = 0; g < n.length; g++) {
    if (n[g]! === 0) continue
    // √(a·b) rather than √a·√b: corr(x, x) is then exactly 1.
    const product = m2x![g]! * m2y![g]!
    const denominator = Number.isFinite(product) ? Math.sqrt(product) : Math.sqrt(m2x![g]!) * Math.sqrt(m2y![g]!)
    out[g] = denominator === 0 ? Number.NaN : cxy![g]! / denominator
    valid[g] = 1
  }
  return floatCol(out, valid)
}
