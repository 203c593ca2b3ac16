/**
 * The engine's invariants on random tables, random partition counts and random pipelines:
 *
 * - sync ≡ the naive row-by-row reference interpreter (test/support/reference-interpreter.ts);
 * - pool ≡ sync ≡ reference;
 * - optimized ≡ unoptimized (`optimize: false`) and fused ≡ unfused (`fuse: false`).
 *
 * Results are compared in order when the pipeline defines one (a stable sort, or an aggregate,
 * whose groups come out sorted by key) and as multisets otherwise. Floats compare with relative
 * tolerance 1e-9 (sums may be added in another order), NaN equal to NaN, -0 equal to 0.
 *
 * Environment: TSDASK_PROPERTY_RUNS (default 100) sets the runs of the pool properties; the
 * sync-only properties run 3× as many. TSDASK_PROPERTY_SEED replays a run; on failure fast-check
 * prints the seed and the counterexample path, and the case is printed as code.
 */
import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { col, shutdown } from '../../src/index.js'
import { expectSameRows } from '../support/compare-rows.js'
import { reference, run } from '../support/engine-runs.js'
import {
  type AnyFrame,
  applyPipeline,
  type EngineCase,
  engineCase,
  frameOf,
  isOrdered,
  randomTable,
} from '../support/random-tables.js'

afterAll(() => shutdown())

const RUNS = Math.max(1, Number(process.env.TSDASK_PROPERTY_RUNS ?? 100))
const SEED = process.env.TSDASK_PROPERTY_SEED === undefined ? undefined : Number(process.env.TSDASK_PROPERTY_SEED)

function params(numRuns: number): fc.Parameters<[EngineCase]> {
  return { numRuns, verbose: 1, ...(SEED !== undefined && { seed: SEED }) }
}

// Running a case ----------------------------------------------------------------------------------

function build(c: EngineCase): AnyFrame {
  return applyPipeline(frameOf(c.table, c.npartitions, c.dictionary), c.pipeline)
}

const sync = { scheduler: 'sync' } as const
const pool = { scheduler: 'pool' } as const

describe('engine ≡ reference interpreter', () => {
  test('sync ≡ reference', async () => {
    await fc.assert(
      fc.asyncProperty(engineCase, async (c) => {
        const df = build(c)
        const expected = reference(df)
        expectSameRows(await run(df, sync), expected, isOrdered(c.pipeline), 'sync vs reference')
      }),
      params(3 * RUNS),
    )
  })

  test('pool ≡ sync ≡ reference', async () => {
    await fc.assert(
      fc.asyncProperty(engineCase, async (c) => {
        const df = build(c)
        const expected = reference(df)
        const ordered = isOrdered(c.pipeline)
        const onSync = await run(df, sync)
        const onPool = await run(df, pool)
        expectSameRows(onSync, expected, ordered, 'sync vs reference')
        expectSameRows(onPool, onSync, ordered, 'pool vs sync')
      }),
      params(RUNS),
    )
  })
})

describe('plan and graph rewrites never change results', () => {
  test('optimized ≡ unoptimized, fused ≡ unfused (sync)', async () => {
    await fc.assert(
      fc.asyncProperty(engineCase, async (c) => {
        const df = build(c)
        reference(df) // discards overflowing cases, as above
        const ordered = isOrdered(c.pipeline)
        const base = await run(df, sync)
        expectSameRows(await run(df, { ...sync, optimize: false }), base, ordered, 'unoptimized vs optimized')
        expectSameRows(await run(df, { ...sync, fuse: false }), base, ordered, 'unfused vs fused')
        expectSameRows(await run(df, { ...sync, optimize: false, fuse: false }), base, ordered, 'neither vs both')
      }),
      params(2 * RUNS),
    )
  })

  test('optimized ≡ unoptimized, fused ≡ unfused (pool)', async () => {
    await fc.assert(
      fc.asyncProperty(engineCase, async (c) => {
        const df = build(c)
        reference(df)
        const ordered = isOrdered(c.pipeline)
        const base = await run(df, pool)
        expectSameRows(await run(df, { ...pool, optimize: false, fuse: false }), base, ordered, 'plain vs rewritten')
      }),
      params(Math.ceil(RUNS / 2)),
    )
  })
})

describe('the oracle', () => {
  test('catches a planted bug: a reference whose sums are off by one', async () => {
    const sums = randomTable.chain((table) =>
      fc.record({
        table: fc.constant(table),
        npartitions: fc.integer({ min: 1, max: 4 }),
      }),
    )
    const property = fc.asyncProperty(sums, async ({ table, npartitions }) => {
      const numeric = table.fields[0]!.name // the first column is numeric by construction
      const df = frameOf(table, npartitions).agg({ s: col(numeric).sum() }) as unknown as AnyFrame
      expectSameRows(await run(df, sync), reference(df, { sumOffByOne: true }), true, 'sync vs faulty reference')
    })
    const failure = await fc.assert(property, { numRuns: 200, ...(SEED !== undefined && { seed: SEED }) }).then(
      () => null,
      (error: unknown) => error as Error,
    )
    expect(failure?.message).toMatch(/^Property failed after \d+ tests/)
    expect(String((failure?.cause as Error | undefined)?.message)).toMatch(
      /sync vs faulty reference: row 0, column s: /,
    )
  })

  test('and the same property passes with the correct reference', async () => {
    const property = fc.asyncProperty(randomTable, async (table) => {
      const df = frameOf(table, 3).agg({ s: col(table.fields[0]!.name).sum() }) as unknown as AnyFrame
      expectSameRows(await run(df, sync), reference(df), true, 'sync vs reference')
    })
    await fc.assert(property, { numRuns: 50 })
  })
})
