import { describe, expect, it } from 'vitest'
import { col, count } from '../../src/expr/builder.js'
import { planSignature } from '../../src/plan/signature.js'
import { csvFrame, trips } from '../support/plan-builders.js'

describe('planSignature', () => {
  const base = trips(2)

  it('is equal for equal plans built on different lines (origins are left out)', () => {
    const first = base.filter(col('fare').gt(10)).select('vendor', 'fare').sort('fare').limit(3).plan
    const second = base.filter(col('fare').gt(10)).select('vendor', 'fare').sort('fare').limit(3).plan
    expect(first).not.toBe(second)
    expect(first.origin).not.toBe(second.origin)
    expect(planSignature(first)).toBe(planSignature(second))
  })

  it('is equal for aggregations built twice, and for the same CSV file read twice', () => {
    const agg = () => base.groupBy('vendor').agg({ n: count(), total: col('fare').sum() }).plan
    expect(planSignature(agg())).toBe(planSignature(agg()))
    const text = 'a,b\n1,x\n2,y\n'
    expect(planSignature(csvFrame('s.csv', text).plan)).toBe(planSignature(csvFrame('s.csv', text).plan))
  })

  it('differs whenever the computation differs', () => {
    const variants = [
      base.plan,
      trips(2).plan, // same rows, but another in-memory dataset
      base.filter(col('fare').gt(10)).plan,
      base.filter(col('fare').gte(10)).plan,
      base.filter(col('fare').gt(11)).plan,
      base.filter(col('fare').gt(10n)).plan,
      base.select('vendor', 'fare').plan,
      base.select('fare', 'vendor').plan,
      base.rename({ fare: 'price' }).plan,
      base.sort('fare').plan,
      base.sort('fare', { descending: true }).plan,
      base.sort('fare', { nullsFirst: true }).plan,
      base.limit(3).plan,
      base.limit(3, 1).plan,
      base.groupBy('vendor').agg({ n: count() }).plan,
      base.groupBy('vendor').agg({ m: count() }).plan,
      base.groupBy('vendor').agg({ n: col('fare').count() }).plan,
      base.groupBy('vendor', 'day').agg({ n: count() }).plan,
    ]
    const signatures = new Set(variants.map(planSignature))
    expect(signatures.size).toBe(variants.length)
  })

  it('is cached per node and stable', () => {
    const plan = base.filter(col('tip').gt(1)).plan
    expect(planSignature(plan)).toBe(planSignature(plan))
    expect(planSignature(plan)).toContain(planSignature(base.plan))
  })
})
