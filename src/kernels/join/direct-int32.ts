/**
 * Key ids for one int32 or date32 key without hashing: when the build side's valid values span a
 * range not much larger than the inputs, a key's id is its value minus the build minimum. The probe
 * side is then a subtraction and a range check per row; a probe value outside the build range gets
 * -1 at once (it cannot match), so probe keys never take table space.
 */
import type { Int32Col } from '../column.js'
import type { KeyIds } from './key-ids.js'

/** The ids, or null when the build range is too wide for a direct table (callers hash instead). */
export function directInt32Ids(build: Int32Col, probe: Int32Col): KeyIds | null {
  const nb = build.length
  const bv = build.values
  const bValid = build.valid
  let min = 2147483647
  let max = -2147483648
  for (let i = 0; i < nb; i++) {
    if (bValid !== null && !bValid[i]) continue
    const x = bv[i]!
    if (x < min) min = x
    if (x > max) max = x
  }
  // No valid build key: min > max, range 0, and every probe row falls outside it.
  const range = max >= min ? max - min + 1 : 0
  // The table downstream holds one slot per value in range: keep it within a few times the rows.
  if (range > Math.max(2 * (nb + probe.length), 1 << 16)) return null
  const buildIds = new Int32Array(nb)
  for (let i = 0; i < nb; i++) buildIds[i] = bv[i]! - min
  if (bValid !== null) for (let i = 0; i < nb; i++) if (!bValid[i]) buildIds[i] = -1
  return { build: buildIds, probe: probeIds(probe, min, range), count: range }
}

function probeIds(probe: Int32Col, min: number, range: number): Int32Array {
  const n = probe.length
  const v = probe.values
  const valid = probe.valid
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    // Values are exact doubles here, so the subtraction cannot wrap around.
    const s = v[i]! - min
    out[i] = s >= 0 && s < range ? s : -1
  }
  if (valid !== null) for (let i = 0; i < n; i++) if (!valid[i]) out[i] = -1
  return out
}
