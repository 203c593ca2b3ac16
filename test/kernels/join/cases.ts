/**
 * Random join inputs for the property tests: one or two key columns of every key dtype, drawn from
 * small domains so keys repeat on both sides, with nulls, garbage under every null, and utf8 keys
 * that are plain, dictionary-encoded, or "messy" dictionaries (entries repeated, null entries that
 * rows point at), chosen independently on each side.
 */
import { type Data, makeData, type RecordBatch, type Utf8 } from 'apache-arrow'
import fc from 'fast-check'
import { packBits } from '../../../src/kernels/validity.js'
import { makeBatch, makeDictionaryData } from '../../../src/types/arrow-types.js'
import type { DType } from '../../../src/types/dtype.js'
import { random } from '../../schedule/fixtures/batches.js'
import { withGarbageUnderNulls } from '../garbage-nulls.js'
import { type Cell, dataOf } from '../helpers.js'

export const KEY_TYPES = ['int32', 'int32-wide', 'int64', 'float64', 'utf8', 'bool', 'date32', 'timestamp[ms]'] as const
export type KeyType = (typeof KEY_TYPES)[number]
/** How a column is stored: its dtype's plain form, or one of the dictionary forms of utf8. */
export type Form = 'plain' | 'dict' | 'messy-dict'

/** The values each key type draws from (few, so keys repeat). */
const DOMAIN: Record<KeyType, readonly Cell[]> = {
  int32: [-2, -1, 0, 1, 2],
  // Spread over the whole int32 range, so the direct (value - min) table is refused.
  'int32-wide': [-2147483648, 2147483647, 0, 1_000_000_000, -999_999_999],
  int64: [-2n, 0n, 1n, 2n ** 40n, -(2n ** 62n)],
  float64: [0, -0, Number.NaN, 1.5, -1.5, Number.POSITIVE_INFINITY],
  utf8: ['', 'a', 'b', 'é', 'ab', 'B'],
  bool: [true, false],
  date32: [-1, 0, 1, 2],
  'timestamp[ms]': [0, 1000, -1000, 86_400_000],
}
const cellOf = (t: KeyType): fc.Arbitrary<Cell> => fc.constantFrom(...DOMAIN[t])

export function dtypeOfKey(t: KeyType): DType {
  return t === 'int32-wide' ? 'int32' : t
}

const maybe = (arb: fc.Arbitrary<Cell>): fc.Arbitrary<Cell> =>
  fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: arb })

export interface SideKeys {
  /** One tuple of key cells per row. */
  readonly keys: Cell[][]
  readonly forms: Form[]
}

export function sideKeys(keyTypes: readonly KeyType[], maxRows = 20): fc.Arbitrary<SideKeys> {
  return fc.record({
    keys: fc.array(fc.tuple(...keyTypes.map((t) => maybe(cellOf(t)))), { maxLength: maxRows }),
    forms: fc.tuple(
      ...keyTypes.map((t) =>
        t === 'utf8' ? fc.constantFrom<Form>('plain', 'dict', 'messy-dict') : fc.constant<Form>('plain'),
      ),
    ),
  })
}

export interface JoinCase {
  readonly keyTypes: readonly KeyType[]
  readonly left: SideKeys
  readonly right: SideKeys
  /** Seeds the garbage under nulls and the messy dictionaries, so a failure replays. */
  readonly seed: number
}

export const joinCase = (maxRows = 20): fc.Arbitrary<JoinCase> =>
  fc.array(fc.constantFrom(...KEY_TYPES), { minLength: 1, maxLength: 2 }).chain((keyTypes) =>
    fc.record({
      keyTypes: fc.constant(keyTypes),
      left: sideKeys(keyTypes, maxRows),
      right: sideKeys(keyTypes, maxRows),
      seed: fc.integer(),
    }),
  )

/** Row numbers as a payload (so gathers are checked exactly), null on every fifth row. */
export const payload = (i: number): Cell => (i % 5 === 3 ? null : i)

/**
 * A dictionary column whose dictionary repeats entries and holds null entries: a null cell is
 * either a null row (over a garbage code) or a valid row pointing at a null entry.
 */
export function messyDictData(cells: readonly Cell[], rand: () => number): Data {
  const entries: (string | null)[] = [null]
  for (const v of new Set(cells.filter((c): c is string => c !== null))) {
    entries.push(v)
    if (rand() < 0.5) entries.push(v)
  }
  if (rand() < 0.5) entries.push(null)
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[entries[i], entries[j]] = [entries[j]!, entries[i]!]
  }
  const pick = (v: string | null): number => {
    const at = entries.flatMap((e, k) => (e === v ? [k] : []))
    return at[Math.floor(rand() * at.length)]!
  }
  const valid = new Uint8Array(cells.length).fill(1)
  const codes = Int32Array.from(cells, (c, i) => {
    if (c !== null) return pick(c as string)
    if (rand() < 0.5) return pick(null)
    valid[i] = 0
    return Math.floor(rand() * entries.length)
  })
  const nullCount = valid.length - valid.reduce((s, v) => s + v, 0)
  return makeDictionaryData(
    codes,
    dataOf('utf8', entries) as Data<Utf8>,
    nullCount > 0 ? packBits(valid) : null,
    nullCount,
  )
}

/**
 * A column whose null slots hold values of `domain`: garbage that a kernel reading under nulls
 * would take for a real key (random garbage mostly lies outside every key range, which hides that).
 */
function plausibleGarbage(kind: DType, cells: readonly Cell[], domain: readonly Cell[], rand: () => number): Data {
  const filled = cells.map((c) => (c === null ? domain[Math.floor(rand() * domain.length)]! : c))
  const d = dataOf(kind, filled)
  const valid = Uint8Array.from(cells, (c) => (c === null ? 0 : 1))
  const nullCount = cells.length - valid.reduce((sum, v) => sum + v, 0)
  const nullBitmap = nullCount > 0 ? packBits(valid) : undefined
  return makeData({
    type: d.type,
    length: d.length,
    nullCount,
    nullBitmap,
    data: d.values,
    valueOffsets: d.valueOffsets,
  } as never)
}

export interface ColumnSpec {
  readonly kind: DType
  readonly form: Form
  readonly cells: readonly Cell[]
  /** Values to put under nulls half of the time; random garbage otherwise. */
  readonly domain?: readonly Cell[]
}

/** A batch of the given columns, garbage under every null. */
export function garbageColumns(
  names: readonly string[],
  columns: readonly ColumnSpec[],
  numRows: number,
  rand: () => number,
): RecordBatch {
  const datas = columns.map(({ kind, form, cells, domain }) => {
    if (form === 'messy-dict') return messyDictData(cells, rand)
    if (form === 'plain' && domain && rand() < 0.5) return plausibleGarbage(kind, cells, domain, rand)
    return withGarbageUnderNulls(dataOf(form === 'dict' ? 'dict' : kind, cells), rand)
  })
  return makeBatch(names, datas, numRows)
}

export interface BuiltCase {
  readonly left: RecordBatch
  readonly right: RecordBatch
  /** The cells of every row, as the reference sees them. */
  readonly leftRows: Cell[][]
  readonly rightRows: Cell[][]
  readonly leftOn: number[]
  readonly rightOn: number[]
}

/**
 * Left columns `[p, k0, k1…]`, right columns `[k0, k1…, p]`: keys sit at different positions on
 * each side, and every right column's name clashes with a left one.
 */
export function buildCase(c: JoinCase): BuiltCase {
  const rand = random(c.seed)
  const keyNames = c.keyTypes.map((_, k) => `k${k}`)
  const leftRows = c.left.keys.map((keys, i) => [payload(i), ...keys])
  const rightRows = c.right.keys.map((keys, i) => [...keys, payload(i)])
  const keyColumns = (side: SideKeys) =>
    c.keyTypes.map((t, k) => ({
      kind: dtypeOfKey(t),
      form: side.forms[k]!,
      cells: side.keys.map((r) => r[k]!),
      domain: DOMAIN[t],
    }))
  const payloadColumn = (n: number) => ({
    kind: 'int32' as const,
    form: 'plain' as const,
    cells: Array.from({ length: n }, (_, i) => payload(i)),
  })
  const left = garbageColumns(
    ['p', ...keyNames],
    [payloadColumn(leftRows.length), ...keyColumns(c.left)],
    leftRows.length,
    rand,
  )
  const right = garbageColumns(
    [...keyNames, 'p'],
    [...keyColumns(c.right), payloadColumn(rightRows.length)],
    rightRows.length,
    rand,
  )
  return {
    left,
    right,
    leftRows,
    rightRows,
    leftOn: keyNames.map((_, k) => k + 1),
    rightOn: keyNames.map((_, k) => k),
  }
}
