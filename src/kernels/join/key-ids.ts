/**
 * Join keys as ids: every build and probe row gets the id of its key tuple in one id space shared by
 * both sides, so two rows match exactly when their ids are equal and not -1. A row with a null in
 * any key gets -1: nulls never match (SQL `=`), dictionary entries that are null included (the
 * kernels' column form folds them into row validity).
 *
 * Equality is the engine's `=` (compare.ts) and DuckDB's join: -0 equals 0, and NaN equals NaN
 * (every NaN payload alike). DuckDB 1.5 answers `SELECT * FROM (VALUES ('NaN'::DOUBLE)) a(x) JOIN
 * (VALUES ('NaN'::DOUBLE)) b(y) ON x = y` with one row, and joins -0.0 with 0.0 and 'NaN' with
 * '-NaN'. Strings match by their UTF-8 bytes, whether plain or dictionary-encoded on either side.
 *
 * Two strategies:
 * - one int32/date32 key whose build values span a small range: the value minus the build minimum
 *   is the id, and a probe value outside the range gets -1 without being hashed (direct-int32.ts);
 * - otherwise the build and probe keys are concatenated and grouped together by the group-by's
 *   hashing (group-by/hash.ts: dictionary codes, dense tables, open addressing over words or
 *   bytes, tuples of per-key ids for several keys), whose canonical forms give exactly the
 *   equality above (a plain utf8 key meeting a dictionary one is dictionary-encoded first:
 *   string-forms.ts). Probe keys absent from the build side get ids of their own that no build row
 *   has, which costs table slots but needs no second hash table with a lookup-only mode.
 */
import type { Col } from '../column.js'
import { concatCols } from '../concat.js'
import { groupRows } from '../group-by/hash.js'
import { andValidity, type Validity } from '../validity.js'
import { directInt32Ids } from './direct-int32.js'
import { alignStringForms } from './string-forms.js'

export interface KeyIds {
  /** Per build row: the id of its key in [0, count), or -1 when a key is null. */
  readonly build: Int32Array
  /** Per probe row: the id of its key in [0, count), or -1 when a key is null or cannot match. */
  readonly probe: Int32Array
  /** Size of the id space (some ids may belong to no build row). */
  readonly count: number
}

/** Ids for the key columns of both sides (same number of keys, pairwise the same dtype). */
export function joinKeyIds(build: readonly Col[], probe: readonly Col[]): KeyIds {
  if (build.length === 1) {
    const b = build[0]!
    const p = probe[0]!
    if ((b.kind === 'int32' || b.kind === 'date32') && p.kind === b.kind) {
      const direct = directInt32Ids(b, p)
      if (direct) return direct
    }
  }
  return unionIds(build, probe)
}

function unionIds(build: readonly Col[], probe: readonly Col[]): KeyIds {
  const nb = build[0]!.length
  const np = probe[0]!.length
  const n = nb + np
  const keys = build.map((b, k) => concatCols(alignStringForms(b, probe[k]!)))
  const grouping = groupRows(keys, n)
  let valid: Validity = null
  for (const key of keys) valid = andValidity(valid, key.valid, n)
  return {
    build: idsOf(grouping.ids, valid, 0, nb),
    probe: idsOf(grouping.ids, valid, nb, np),
    count: grouping.count,
  }
}

/** `ids[from, from + length)` with -1 where `valid` says a key is null. */
function idsOf(ids: Int32Array, valid: Validity, from: number, length: number): Int32Array {
  const out = ids.slice(from, from + length)
  if (valid !== null) for (let i = 0; i < length; i++) if (!valid[from + i]) out[i] = -1
  return out
}
