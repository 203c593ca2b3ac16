/**
 * DataFrame.join against a naive nested-loop join of the records, for every join type, with
 * duplicate and null keys, one and two keys, 1–4 partitions on each side, broadcast and
 * partitioned, on sync and on the pool: a bug that shows only across partition boundaries (a
 * shuffle that splits equal keys, an unmatched row emitted once per partition) must fail here.
 */
import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { fromRecords, shutdown } from '../../src/index.js'
import { TsdaskError } from '../../src/util/errors.js'

afterAll(() => shutdown())

type Rec = Record<string, number | string | null>
const HOWS = ['inner', 'left', 'right', 'full', 'semi', 'anti'] as const
type How = (typeof HOWS)[number]

/** The rows a SQL join gives, as sorted JSON lines (join output order is not part of the contract here). */
function naiveJoin(
  left: Rec[],
  right: Rec[],
  leftOn: string[],
  rightOn: string[],
  how: How,
  merged: boolean,
): string[] {
  const matches = (l: Rec, r: Rec) => leftOn.every((k, i) => l[k] !== null && l[k] === r[rightOn[i]!])
  const leftCols = Object.keys(left[0] ?? {})
  const rightCols = Object.keys(right[0] ?? {}).filter((c) => !(merged && rightOn.includes(c)))
  const name = (c: string) => (leftCols.includes(c) ? `${c}_right` : c)
  const row = (l: Rec | null, r: Rec | null): Rec => {
    const out: Rec = {}
    for (const c of leftCols) {
      const k = leftOn.indexOf(c)
      out[c] = l ? l[c]! : merged && k >= 0 && r ? r[rightOn[k]!]! : null
    }
    if (how !== 'semi' && how !== 'anti') for (const c of rightCols) out[name(c)] = r ? r[c]! : null
    return out
  }
  const out: Rec[] = []
  if (how === 'semi' || how === 'anti') {
    for (const l of left) if (right.some((r) => matches(l, r)) === (how === 'semi')) out.push(row(l, null))
  } else {
    for (const l of left) {
      const ms = right.filter((r) => matches(l, r))
      for (const r of ms) out.push(row(l, r))
      if (ms.length === 0 && (how === 'left' || how === 'full')) out.push(row(l, null))
    }
    if (how === 'right' || how === 'full')
      for (const r of right) if (!left.some((l) => matches(l, r))) out.push(row(null, r))
  }
  return out.map((r) => JSON.stringify(r)).sort()
}

const key = fc.option(fc.integer({ min: 0, max: 4 }), { nil: null, freq: 5 })
const side = (value: string) =>
  fc.array(fc.record({ k: key, j: fc.option(fc.constantFrom('x', 'y'), { nil: null }), [value]: fc.integer() }), {
    minLength: 1,
    maxLength: 14,
  })

describe('join ≡ a nested-loop join of the records', () => {
  test.each(['sync', 'pool'] as const)(
    'every how, one or two keys, any partitions, broadcast or partitioned (%s)',
    async (scheduler) => {
      await fc.assert(
        fc.asyncProperty(
          side('v'),
          side('w'),
          fc.constantFrom(...HOWS),
          fc.boolean(),
          fc.boolean(),
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 4 }),
          fc.constantFrom(0, 1e9),
          async (left, right, how, twoKeys, merged, lp, rp, broadcastBelow) => {
            const keys: ('k' | 'j')[] = twoKeys ? ['k', 'j'] : ['k']
            const l = fromRecords(left as Rec[], { npartitions: lp, schema: { k: 'int32', j: 'utf8', v: 'int32' } })
            const r = fromRecords(right as Rec[], { npartitions: rp, schema: { k: 'int32', j: 'utf8', w: 'int32' } })
            const joined = merged
              ? l.join(r, { on: keys, how, broadcastBelow })
              : l.join(r, { leftOn: keys, rightOn: keys, how, broadcastBelow })
            const got = (await joined.toRecords({ scheduler })).map((row) => JSON.stringify(row)).sort()
            expect(got).toEqual(naiveJoin(left as Rec[], right as Rec[], keys, keys, how, merged))
          },
        ),
        { numRuns: scheduler === 'pool' ? 40 : 150 },
      )
    },
  )
})

describe('join errors say what and how to fix', () => {
  const a = fromRecords([{ id: 1, name: 'x' }])
  const b = fromRecords([{ id: 1, label: 'y' }])

  test('an unknown key names the side and suggests the closest column', () => {
    expect(() => a.join(b, { leftOn: 'idd' as 'id', rightOn: 'id' })).toThrow(
      /Unknown column "idd" in the join's left side\. Did you mean "id"\?/,
    )
  })

  test('keys whose dtypes can never be equal are refused, naming both columns', () => {
    expect(() => a.join(b, { leftOn: 'name' as 'id', rightOn: 'id' })).toThrow(TsdaskError)
    expect(() => a.join(b, { leftOn: 'name' as 'id', rightOn: 'id' })).toThrow(
      /join key "name" \(utf8\) = "id" \(int32\)/,
    )
  })

  test('a join without keys, or with both ways of naming them, is refused', () => {
    expect(() => a.join(b, {} as { on: 'id' })).toThrow(/needs its key columns/)
    expect(() => a.join(b, { on: 'id', leftOn: 'id' } as { on: 'id' })).toThrow(/either `on` or `leftOn`/)
    expect(() => a.join(b, { on: 'id', how: 'outer' as 'full' })).toThrow(
      /'inner', 'left', 'right', 'full', 'semi', 'anti'/,
    )
  })
})
