/**
 * Errors are results: on random tables of dirty text (`s`: '7', 'N/A', '', …), integers near
 * overflow (`n`) and booleans (`b`), random stacks of filters, conjunctions, OR, NOT, CASE and
 * COALESCE over fallible expressions (casts of `s` to int32, `n * 100000`, also next to a constant
 * NULL operand, which decides the call without them) give exactly what the row-by-row reference
 * interpreter gives, including whether the query fails:
 *
 * - the plan as written (optimizer off) ≡ reference, rows or error;
 * - optimized (all rules, each rule alone, a random subset) ≡ reference whenever the reference
 *   succeeds: the optimizer never causes an error, nor changes a row;
 * - where the reference fails, the optimized plan fails too, or it skipped the failing work (a
 *   filter pushed below the projection that fails, an always-false filter's input: work whose
 *   value cannot change the rows, as SQL engines skip it); then the reference run on the
 *   optimized plan itself gives the same rows, so the skip is the plan's, not a wrong answer;
 * - the same from a CSV file, whose filters the reader applies while parsing.
 *
 * Environment: TSDASK_SHORT_CIRCUIT_PROPERTY_RUNS (default 250) and TSDASK_PROPERTY_SEED (replay).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { DataFrame } from '../../src/api/data-frame.js'
import {
  type ComputeOptions,
  col,
  count,
  type Expr,
  lit,
  printExpr,
  readCsv,
  type SchemaShape,
  TsdaskError,
  when,
} from '../../src/index.js'
import { defaultRules } from '../../src/optimize/default-rules.js'
import { conjunction, splitConjunction } from '../../src/optimize/expr-facts.js'
import { optimize } from '../../src/optimize/optimizer.js'
import { type LogicalPlan, planInputs, withInputs } from '../../src/plan/plan.js'
import { expectSameRows, type Record_ } from '../support/compare-rows.js'
import { coalesceOf } from '../support/plan-builders.js'
import { type AnyExpr, type AnyFrame, frameOf, type RandomTable } from '../support/random-tables.js'
import { ReferenceCastError, ReferenceOverflowError, referenceRecords } from '../support/reference-interpreter.js'
import { RULES, ruleModes } from '../support/rule-modes.js'

const RUNS = Math.max(1, Number(process.env.TSDASK_SHORT_CIRCUIT_PROPERTY_RUNS ?? 250))
const SEED = process.env.TSDASK_PROPERTY_SEED === undefined ? undefined : Number(process.env.TSDASK_PROPERTY_SEED)
const sync = { scheduler: 'sync' } as const

const dir = mkdtempSync(path.join(tmpdir(), 'tsdask-short-circuit-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// Tables ------------------------------------------------------------------------------------------

const WORDS = ['1', '7', '-3', '42', 'N/A', 'x', '']
const FIELDS = [
  { name: 's', dtype: 'utf8' },
  { name: 'n', dtype: 'int32' },
  { name: 'b', dtype: 'bool' },
] as const

const maybe = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: arb })
const row = fc.record({
  s: maybe(fc.constantFrom(...WORDS)),
  // Mostly small; sometimes past 21474, where n * 100000 overflows int32.
  n: maybe(fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -5, max: 50 }) }, fc.constantFrom(-30000, 30000))),
  b: maybe(fc.boolean()),
})
const table: fc.Arbitrary<RandomTable> = fc.array(row, { maxLength: 16 }).map((rows) => ({ fields: FIELDS, rows }))

// Expressions -------------------------------------------------------------------------------------

// The builder types operands; these generators mix them at run time, so they cast to the operand kind.
type Bool = Expr<'bool', SchemaShape>
type Int = Expr<'int32', SchemaShape>
const S = col('s') as AnyExpr
const N = col('n') as AnyExpr
const parsed = S.cast('int32') as AnyExpr
const small = fc.integer({ min: -5, max: 45 })

/** int32 values, some of them fallible (a cast of s, an overflowing product). */
function intValue(pred: fc.Arbitrary<AnyExpr>, hasC: boolean): fc.Arbitrary<AnyExpr> {
  return fc.oneof(
    fc.constant(N),
    fc.constant(parsed),
    ...(hasC ? [fc.constant(col('c') as AnyExpr)] : []),
    pred.map((p) => when(p as Bool, parsed).otherwise(N) as AnyExpr),
    fc.constant(coalesceOf(N, parsed) as AnyExpr),
    fc.constant(coalesceOf(parsed, N) as AnyExpr),
    // A constant NULL operand decides the call, whose other operands are then never evaluated
    // (DuckDB's rule, constant-operand.ts): no cast or overflow error from these.
    fc.constant((parsed as Int).add(lit(null, 'int32') as Int) as AnyExpr),
    fc.constant((N as Int).mul(100000).add((parsed as Int).mul(lit(null, 'int32') as Int)) as AnyExpr),
  )
}

/** Boolean predicates, three levels deep at most; `hasC`: the pipeline computed an int column c. */
function predicate(hasC: boolean): fc.Arbitrary<AnyExpr> {
  const atom: fc.Arbitrary<AnyExpr> = fc.oneof(
    fc.constantFrom(...WORDS).map((w) => S.eq(w) as AnyExpr),
    fc.constantFrom(...WORDS).map((w) => S.neq(w) as AnyExpr),
    fc.constant(S.isNull() as AnyExpr),
    fc.constant(S.isNotNull() as AnyExpr),
    small.map((k) => N.gt(k) as AnyExpr),
    fc.constant(col('b') as AnyExpr),
    small.map((k) => parsed.gt(k) as AnyExpr),
    fc.constant(parsed.eq(N) as AnyExpr),
    fc.constant((N as Int).mul(100000).gt(0) as AnyExpr),
    fc.constantFrom(lit(true), lit(false), lit(null, 'bool')).map((x) => x as AnyExpr),
    ...(hasC ? [small.map((k) => col('c').gt(k) as AnyExpr)] : []),
  )
  const { p } = fc.letrec<{ p: AnyExpr }>((tie) => {
    const sub = tie('p')
    return {
      p: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        atom,
        fc.tuple(sub, sub).map(([x, y]) => (x as Bool).and(y as Bool) as AnyExpr),
        fc.tuple(sub, sub).map(([x, y]) => (x as Bool).or(y as Bool) as AnyExpr),
        sub.map((x) => (x as Bool).not() as AnyExpr),
        fc.tuple(sub, sub, sub).map(([c, x, y]) => when(c as Bool, x).otherwise(y) as AnyExpr),
        fc.tuple(intValue(atom, hasC), small).map(([v, k]) => v.gt(k) as AnyExpr),
      ),
    }
  })
  return p
}

/**
 * A cast behind a guard, with no CASE (which the optimizer treats as opaque): several of these in
 * one projection repeat `CAST(s AS int32)` on only some rows, which common-subexpression
 * elimination must not hoist to run on every row.
 */
const NUMBERS = WORDS.filter((w) => /^-?\d+$/.test(w))
const guarded: fc.Arbitrary<AnyExpr> = fc
  .tuple(small, fc.boolean())
  .map(([k, and]) => (and ? S.isIn(NUMBERS).and(parsed.gt(k)) : S.isIn(NUMBERS).not().or(parsed.lt(k))) as AnyExpr)

// Pipelines ---------------------------------------------------------------------------------------

interface Case {
  readonly table: RandomTable
  readonly npartitions: number
  readonly dictionary: boolean
  /** A column c computed before the filters (filters may then be pushed below it), or none. */
  readonly pre: AnyExpr | null
  readonly filters: readonly AnyExpr[]
  readonly post:
    | { readonly kind: 'none' }
    | { readonly kind: 'project'; readonly v: AnyExpr; readonly w: AnyExpr }
    | { readonly kind: 'guarded'; readonly g: readonly AnyExpr[] }
    | { readonly kind: 'aggregate'; readonly w: AnyExpr }
  readonly alone: string
  readonly subset: readonly string[]
}

const caseArb: fc.Arbitrary<Case> = fc.boolean().chain((hasC) =>
  fc.record({
    table,
    npartitions: fc.integer({ min: 1, max: 3 }),
    dictionary: fc.boolean(),
    pre: hasC
      ? fc.oneof(
          intValue(predicate(false), false),
          predicate(false).map((p) => when(p as Bool, lit(1)).otherwise(N) as AnyExpr),
        )
      : fc.constant(null),
    filters: fc.array(predicate(hasC), { minLength: 1, maxLength: 3 }),
    post: fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc.tuple(predicate(hasC), intValue(predicate(hasC), hasC)).map(([v, w]) => ({ kind: 'project' as const, v, w })),
      intValue(predicate(hasC), hasC).map((w) => ({ kind: 'aggregate' as const, w })),
      fc.array(guarded, { minLength: 2, maxLength: 3 }).map((g) => ({ kind: 'guarded' as const, g })),
    ),
    alone: fc.constantFrom(...RULES),
    subset: fc.subarray(RULES),
  }),
)

function describeCase(c: Case): string {
  const p = (e: AnyExpr) => printExpr(e.node)
  const steps = [
    ...(c.pre ? [`withColumns({ c: ${p(c.pre)} })`] : []),
    ...c.filters.map((f) => `filter(${p(f)})`),
    ...(c.post.kind === 'project' ? [`withColumns({ v: ${p(c.post.v)}, w: ${p(c.post.w)} })`] : []),
    ...(c.post.kind === 'aggregate' ? [`groupBy('b').agg({ rows: count(), hi: max(${p(c.post.w)}) })`] : []),
    ...(c.post.kind === 'guarded' ? [`withColumns({ ${c.post.g.map((g, i) => `g${i}: ${p(g)}`).join(', ')} })`] : []),
  ]
  return `${steps.join('.')}\n  on ${JSON.stringify(c.table.rows)} (${c.npartitions} partitions${c.dictionary ? ', s dictionary-encoded' : ''})`
}

function build(base: AnyFrame, c: Case): AnyFrame {
  let df = c.pre ? (base.withColumns({ c: c.pre }) as unknown as AnyFrame) : base
  for (const f of c.filters) df = df.filter(f as Expr<'bool', NonNullable<unknown>>)
  if (c.post.kind === 'project') return df.withColumns({ v: c.post.v, w: c.post.w }) as unknown as AnyFrame
  if (c.post.kind === 'aggregate')
    return df.groupBy('b').agg({ rows: count(), hi: c.post.w.max() }) as unknown as AnyFrame
  if (c.post.kind === 'guarded') {
    return df.withColumns(Object.fromEntries(c.post.g.map((g, i) => [`g${i}`, g]))) as unknown as AnyFrame
  }
  return df
}

// Running -----------------------------------------------------------------------------------------

type Outcome = Record_[] | 'error'

function reference(plan: LogicalPlan): Outcome {
  try {
    return referenceRecords(plan)
  } catch (error) {
    if (error instanceof ReferenceCastError || error instanceof ReferenceOverflowError) return 'error'
    throw error
  }
}

async function run(df: AnyFrame, options: ComputeOptions): Promise<Outcome> {
  try {
    return await df.toRecords(options)
  } catch (error) {
    // A cast that cannot read its text, or integer overflow: the two errors the data can cause.
    if (error instanceof TsdaskError && (error.code === 'TYPE_MISMATCH' || error.code === 'OVERFLOW')) return 'error'
    throw error
  }
}

function expectOutcome(got: Outcome, want: Outcome, what: string): void {
  if (want === 'error' || got === 'error') {
    expect(got === 'error' ? 'an error' : 'rows', what).toBe(want === 'error' ? 'an error' : 'rows')
    return
  }
  expectSameRows(got, want, true, what)
}

async function checkCase(c: Case, base: AnyFrame, label: string): Promise<void> {
  const df = build(base, c)
  const shown = `${label}: ${describeCase(c)}`
  // The reference reads the in-memory table; a CSV file holds the same rows.
  const want = reference(build(frameOf(c.table, c.npartitions), c).plan)
  expectOutcome(await run(df, { ...sync, optimize: false }), want, `optimizer off vs reference\n${shown}`)
  for (const [mode, options] of ruleModes(c.alone, c.subset)) {
    const got = await run(df, options)
    if (want !== 'error' || got === 'error') {
      expectOutcome(got, want, `${mode} vs reference\n${shown}`)
    } else if (label === 'memory') {
      const optimized = optimize(df.plan, { disable: options.disableRules ?? [] })
      expectOutcome(got, reference(optimized), `${mode} skipped an error; vs reference on the optimized plan\n${shown}`)
    }
  }
}

let files = 0

/** The table as a CSV file: nulls as empty unquoted fields, every string quoted (so '' is a value). */
function csvFrameOf(t: RandomTable, npartitions: number): AnyFrame {
  const cell = (v: unknown) => (v === null ? '' : typeof v === 'string' ? `"${v}"` : String(v))
  const text = `s,n,b\n${t.rows.map((r) => [r.s, r.n, r.b].map(cell).join(',')).join('\n')}\n`
  const file = path.join(dir, `t${files++}.csv`)
  writeFileSync(file, text)
  const blocksize = Math.max(8, Math.ceil(text.length / npartitions))
  return readCsv(file, { schema: { s: 'utf8', n: 'int32', b: 'bool' }, blocksize }) as unknown as AnyFrame
}

describe('errors are results: short-circuit evaluation ≡ the row-by-row reference, optimized or not', () => {
  test('in-memory tables (plain and dictionary-encoded strings)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        await checkCase(c, frameOf(c.table, c.npartitions, c.dictionary), 'memory')
      }),
      { numRuns: RUNS, ...(SEED !== undefined && { seed: SEED }) },
    )
  })

  test('CSV tables (filters applied while parsing)', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        await checkCase(c, csvFrameOf(c.table, c.npartitions), 'csv')
      }),
      { numRuns: Math.ceil(RUNS / 3), ...(SEED !== undefined && { seed: SEED }) },
    )
  })
})

describe('the property catches a rewrite that reorders conjuncts', () => {
  // A planted bug: filters merged, then the conjuncts of every filter run last to first, so a
  // cast can see rows the guard written before it rejects (what merge-filters must never cause).
  const reversed = (plan: LogicalPlan): LogicalPlan => {
    const node = withInputs(plan, planInputs(plan).map(reversed))
    if (node.kind !== 'Filter') return node
    const predicate = conjunction(splitConjunction(node.predicate).reverse())
    return predicate ? { ...node, predicate } : node
  }
  const mergeFilters = defaultRules.filter((r) => r.name === 'merge-filters')

  test('running it makes a working query fail', async () => {
    const property = fc.asyncProperty(caseArb, async (c) => {
      const df = build(frameOf(c.table, c.npartitions), c)
      const want = reference(df.plan)
      fc.pre(want !== 'error')
      const broken = new DataFrame(reversed(optimize(df.plan, { rules: mergeFilters })))
      expectOutcome(await run(broken as AnyFrame, { ...sync, optimize: false }), want, 'broken rewrite vs reference')
    })
    const failure = await fc.assert(property, { numRuns: 2000, ...(SEED !== undefined && { seed: SEED }) }).then(
      () => null,
      (error: unknown) => error as Error,
    )
    expect(failure?.message).toMatch(/Property failed/)
    expect(`${failure?.message}\n${String((failure as { cause?: unknown } | null)?.cause)}`).toMatch(
      /broken rewrite vs reference/,
    )
  })
})
