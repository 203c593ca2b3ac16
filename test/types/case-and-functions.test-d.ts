/**
 * Compile-time typing of CASE, LIKE and the scalar functions: result types follow the inputs
 * (CASE widens numbers), and wrong input types or unknown columns do not compile.
 */
import { describe, expectTypeOf, test } from 'vitest'
import { col, type DataFrame, when } from '../../src/index.js'

const schema = {
  vendor: 'utf8',
  fare: 'float64',
  passengers: 'int32',
  trips: 'int64',
  day: 'date32',
  at: 'timestamp[ms]',
  paid: 'bool',
} as const
declare const trips: DataFrame<typeof schema>

describe('CASE', () => {
  test('the result type is the common type of the values', () => {
    const out = trips.withColumns({
      label: when(col('fare').gt(10), 'high').otherwise('low'),
      num: when(col('paid'), col('passengers')).when(col('fare').gt(1), col('fare')).otherwise(0),
      ints: when(col('paid'), col('passengers')).otherwise(col('trips')),
      open: when(col('paid'), col('trips')),
      withNull: when(col('paid'), null).otherwise(col('day')),
    })
    expectTypeOf(out.schema.label).toEqualTypeOf<'utf8'>()
    expectTypeOf(out.schema.num).toEqualTypeOf<'float64'>()
    expectTypeOf(out.schema.ints).toEqualTypeOf<'int64'>()
    expectTypeOf(out.schema.open).toEqualTypeOf<'int64'>()
    expectTypeOf(out.schema.withNull).toEqualTypeOf<'date32'>()
  })
  test('a non-bool condition or an unknown column does not compile', () => {
    // @ts-expect-error fare is float64, not a condition
    trips.withColumns({ c: when(col('fare'), 1) })
    // @ts-expect-error nope is not a column
    trips.withColumns({ c: when(col('paid'), col('nope')) })
    // @ts-expect-error nope is not a column
    trips.withColumns({ c: when(col('paid'), 1).otherwise(col('nope')) })
  })
})

describe('LIKE and scalar functions', () => {
  test('result types', () => {
    const out = trips.withColumns({
      l: col('vendor').like('C%'),
      nl: col('vendor').notLike('C%'),
      sub: col('vendor').substr(1, 2),
      a: col('passengers').abs(),
      r: col('fare').round(1),
      ri: col('trips').round(),
      f: col('fare').floor(),
      c: col('passengers').ceil(),
      y: col('day').year(),
      m: col('at').month(),
      d: col('at').day(),
    })
    expectTypeOf(out.schema).toMatchTypeOf<{
      readonly l: 'bool'
      readonly nl: 'bool'
      readonly sub: 'utf8'
      readonly a: 'int32'
      readonly r: 'float64'
      readonly ri: 'int64'
      readonly f: 'float64'
      readonly c: 'int32'
      readonly y: 'int64'
      readonly m: 'int64'
      readonly d: 'int64'
    }>()
  })
  test('wrong input types do not compile', () => {
    // @ts-expect-error fare is not a string
    trips.filter(col('fare').like('1%'))
    // @ts-expect-error passengers is not a string
    trips.withColumns({ s: col('passengers').substr(1) })
    // @ts-expect-error vendor is not a number
    trips.withColumns({ a: col('vendor').abs() })
    // @ts-expect-error vendor is not a number
    trips.withColumns({ r: col('vendor').round() })
    // @ts-expect-error fare is not a date
    trips.withColumns({ y: col('fare').year() })
  })
})
