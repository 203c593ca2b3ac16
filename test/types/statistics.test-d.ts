/**
 * Compile-time typing of the statistical aggregates: numeric inputs only (except countDistinct),
 * float64 results (countDistinct int64), unknown columns rejected, corr's two sides both checked.
 */
import { describe, expectTypeOf, test } from 'vitest'
import { col, corr, type DataFrame } from '../../src/index.js'

const schema = { vendor: 'utf8', fare: 'float64', passengers: 'int32', trips: 'int64', day: 'date32' } as const
declare const trips: DataFrame<typeof schema>

describe('statistical aggregates', () => {
  test('result dtypes', () => {
    const out = trips.groupBy('vendor').agg({
      sd: col('fare').stddev(),
      v: col('passengers').variance(),
      med: col('trips').median(),
      nd: col('vendor').countDistinct(),
      days: col('day').countDistinct(),
      r: corr(col('fare'), col('passengers')),
      r2: corr(col('fare'), col('trips').add(1)).mul(corr(col('fare'), col('trips'))),
    })
    expectTypeOf(out.schema).toEqualTypeOf<{
      readonly vendor: 'utf8'
      readonly sd: 'float64'
      readonly v: 'float64'
      readonly med: 'float64'
      readonly nd: 'int64'
      readonly days: 'int64'
      readonly r: 'float64'
      readonly r2: 'float64'
    }>()
  })

  test('non-numeric inputs and unknown columns do not compile', () => {
    // @ts-expect-error vendor is utf8
    trips.agg({ s: col('vendor').stddev() })
    // @ts-expect-error day is date32
    trips.agg({ m: col('day').median() })
    // @ts-expect-error vendor is utf8
    trips.agg({ v: col('vendor').variance() })
    // @ts-expect-error vendor is utf8 (second argument)
    trips.agg({ r: corr(col('fare'), col('vendor')) })
    // @ts-expect-error vendor is utf8 (first argument)
    trips.agg({ r: corr(col('vendor'), col('fare')) })
    // @ts-expect-error nope is not a column
    trips.agg({ n: col('nope').countDistinct() })
    // @ts-expect-error nope is not a column
    trips.agg({ r: corr(col('fare'), col('nope')) })
  })
})
