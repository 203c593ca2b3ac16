/** Compile-time typing of distinct() and unionAll(): the schema type is kept; unionAll needs the same one. */
import { describe, expectTypeOf, test } from 'vitest'
import { col, type DataFrame } from '../../src/index.js'

const schema = { vendor: 'utf8', fare: 'float64', passengers: 'int32', day: 'date32' } as const
declare const trips: DataFrame<typeof schema>

describe('distinct and unionAll keep the schema type', () => {
  test('same schema compiles, a different one does not', () => {
    expectTypeOf(trips.distinct()).toEqualTypeOf<DataFrame<typeof schema>>()
    expectTypeOf(trips.unionAll(trips.filter(col('fare').gt(1)))).toEqualTypeOf<DataFrame<typeof schema>>()
    // @ts-expect-error a column is missing
    trips.unionAll(trips.drop('day'))
    // @ts-expect-error a column has another dtype
    trips.unionAll(trips.withColumns({ fare: col('passengers') }))
  })
})
