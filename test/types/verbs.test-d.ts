/** Compile-time typing of dropNulls, fillNull, valueCounts, nlargest / nsmallest and count(). */
import { describe, expectTypeOf, test } from 'vitest'
import type { DataFrame } from '../../src/index.js'

const schema = { vendor: 'utf8', fare: 'float64', n: 'int64', passengers: 'int32', day: 'date32' } as const
declare const trips: DataFrame<typeof schema>

describe('verbs keep or derive the schema type', () => {
  test('dropNulls takes known columns', () => {
    expectTypeOf(trips.dropNulls()).toEqualTypeOf<DataFrame<typeof schema>>()
    expectTypeOf(trips.dropNulls(['fare', 'vendor'])).toEqualTypeOf<DataFrame<typeof schema>>()
    // @ts-expect-error unknown column
    trips.dropNulls('fares')
  })

  test('fillNull values must fit the column dtype', () => {
    expectTypeOf(trips.fillNull({ fare: 0, vendor: 'n/a', n: 0n, day: new Date() })).toEqualTypeOf<
      DataFrame<typeof schema>
    >()
    trips.fillNull({ n: 1 })
    trips.fillNull(0)
    trips.fillNull('?')
    // @ts-expect-error a string for a float64 column
    trips.fillNull({ fare: 'zero' })
    // @ts-expect-error a number for a date32 column
    trips.fillNull({ day: 0 })
    // @ts-expect-error unknown column
    trips.fillNull({ fares: 0 })
    // @ts-expect-error no bool column takes a boolean
    trips.fillNull(true)
  })

  test('valueCounts gives the column and an int64 count', () => {
    expectTypeOf(trips.valueCounts('vendor')).toEqualTypeOf<
      DataFrame<{ readonly vendor: 'utf8'; readonly count: 'int64' }>
    >()
    // @ts-expect-error unknown column
    trips.valueCounts('vendors')
  })

  test('nlargest / nsmallest keep the schema; count is a number', () => {
    expectTypeOf(trips.nlargest(3, 'fare')).toEqualTypeOf<DataFrame<typeof schema>>()
    expectTypeOf(trips.nsmallest(3, ['fare', 'day'])).toEqualTypeOf<DataFrame<typeof schema>>()
    // @ts-expect-error unknown column
    trips.nlargest(3, 'fares')
    expectTypeOf(trips.count()).toEqualTypeOf<Promise<number>>()
  })

  test('describe keeps the numeric columns as float64 beside a utf8 statistic', () => {
    expectTypeOf(trips.describe()).toEqualTypeOf<
      DataFrame<{
        readonly statistic: 'utf8'
        readonly fare: 'float64'
        readonly n: 'float64'
        readonly passengers: 'float64'
      }>
    >()
    // @ts-expect-error a utf8 column is not described
    trips.describe().select('vendor')
  })
})
