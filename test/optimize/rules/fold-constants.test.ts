import { describe, expect, it } from 'vitest'
import { col, lit } from '../../../src/expr/builder.js'
import { foldConstants } from '../../../src/optimize/rules/fold-constants.js'
import { schemaOf } from '../../../src/plan/schema-of.js'
import { explain, numbers, onlyRule, trips } from '../../support/plan-builders.js'

const run = onlyRule(foldConstants)

describe('fold-constants', () => {
  it('computes literal arithmetic and drops always-true conjuncts', () => {
    const plan = trips()
      .filter(col('fare').gt(lit(1).add(2)).and(lit(true)))
      .withColumns({ x: lit(2).mul(3).sub(1), y: lit(7).div(2), z: col('tip').add(lit(null)) }).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Project: vendor, fare, tip, passengers, day, x := 5, y := 3.5, z := CAST(NULL AS float64)
        Filter: fare > 3
          Scan: records [*] (1 partition)"
    `)
  })

  it('simplifies boolean logic, null-aware', () => {
    const b = col('fare').gt(1)
    const plan = trips().withColumns({
      a: b.and(lit(true)),
      o: b.or(lit(false)),
      n: b.not().not(),
      f: lit(null).and(lit(false)),
      t: b.or(lit(true)),
      keep: b.and(lit(null)),
      cmp: lit('b').gt('a'),
    }).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Project: vendor, fare, tip, passengers, day, a := fare > 1, o := fare > 1, n := fare > 1, f := FALSE, t := TRUE, keep := fare > 1 AND NULL, cmp := TRUE
        Scan: records [*] (1 partition)"
    `)
  })

  it('keeps only the tightest bounds: x > 5 AND x > 7 → x > 7', () => {
    const plan = trips().filter(
      col('fare').gt(5).and(col('fare').gt(7)).and(col('fare').lte(30)).and(col('fare').lt(40)),
    ).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Filter: fare > 7 AND fare <= 30
        Scan: records [*] (1 partition)"
    `)
  })

  it('removes an always-true filter', () => {
    const plan = trips().filter(lit(1).lt(2)).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`"Scan: records [*] (1 partition)"`)
  })

  it('turns an always-false (or null) filter, and what is above it, into the empty relation with the right schema', () => {
    const plan = trips()
      .filter(col('fare').gt(5).and(lit(1).gt(2)))
      .select('vendor', 'fare')
      .sort('fare').plan
    const out = run(plan)
    expect(explain(out)).toMatchInlineSnapshot(
      `"Scan: empty (filter \`fare > 5 AND 1 > 2\` is never true) [*] (1 partition)"`,
    )
    expect(schemaOf(out)).toEqual(schemaOf(plan))
    expect(explain(run(trips().filter(lit(null)).plan))).toContain('Scan: empty')
  })

  it.skipIf(process.env.TSDASK_OPTIMIZER === 'off')('a global aggregate of nothing is still one row', async () => {
    const q = numbers(2)
      .filter(lit(false))
      .groupBy()
      .agg({ n: col('v').count(), s: col('v').sum() })
    expect(q.explain()).toContain('Scan: empty')
    expect(await q.toRecords({ scheduler: 'sync' })).toEqual([{ n: 0n, s: null }])
    const keyed = numbers(2)
      .filter(lit(false))
      .groupBy('k')
      .agg({ n: col('v').count() })
    expect(await keyed.toRecords({ scheduler: 'sync' })).toEqual([])
  })

  it('must not fold what would overflow (an error at run time), nor division by zero into anything but null', () => {
    const plan = trips().withColumns({ big: lit(2147483647).add(1), z: lit(1).div(0), m: lit(5).mod(0) }).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Project: vendor, fare, tip, passengers, day, big := 2147483647 + 1, z := CAST(NULL AS float64), m := CAST(NULL AS int32)
        Scan: records [*] (1 partition)"
    `)
  })

  it('never evaluates a cast at plan time: one that would fail fails only where it runs', () => {
    const bad = lit('x').cast('int32')
    const plan = trips().withColumns({ v: bad.add(1), w: lit(false).and(bad.gt(1)) }).plan
    expect(explain(run(plan))).toMatchInlineSnapshot(`
      "Project: vendor, fare, tip, passengers, day, v := CAST(('x') AS int32) + 1, w := FALSE
        Scan: records [*] (1 partition)"
    `)
  })
})
