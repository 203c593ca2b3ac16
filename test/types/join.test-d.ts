/**
 * Compile-time typing of joins: the result schema (left columns, right columns with clashing
 * names suffixed, `on` keys once; semi/anti keep the left columns), and key pairs whose dtypes can
 * never be equal, or keys a frame does not have, do not compile.
 */
import { describe, expectTypeOf, test } from 'vitest'
import type { DataFrame } from '../../src/index.js'

declare const orders: DataFrame<{ readonly id: 'int64'; readonly customer: 'int32'; readonly total: 'float64' }>
declare const customers: DataFrame<{ readonly id: 'int32'; readonly name: 'utf8'; readonly total: 'float64' }>

describe('join result schema', () => {
  test('leftOn/rightOn keep both keys; a right column named like a left one gets the suffix', () => {
    const out = orders.join(customers, { leftOn: 'customer', rightOn: 'id' })
    expectTypeOf(out.schema).toEqualTypeOf<{
      readonly id: 'int64'
      readonly customer: 'int32'
      readonly total: 'float64'
      readonly id_right: 'int32'
      readonly name: 'utf8'
      readonly total_right: 'float64'
    }>()
  })

  test('on merges the keys; suffix is the caller’s', () => {
    const out = orders.join(customers, { on: 'id', how: 'left', suffix: '_c' })
    expectTypeOf(out.schema).toEqualTypeOf<{
      readonly id: 'int64'
      readonly customer: 'int32'
      readonly total: 'float64'
      readonly name: 'utf8'
      readonly total_c: 'float64'
    }>()
  })

  test('semi and anti joins keep the left columns', () => {
    expectTypeOf(orders.join(customers, { on: 'id', how: 'semi' }).schema).toEqualTypeOf(orders.schema)
    expectTypeOf(orders.join(customers, { on: 'id', how: 'anti' }).schema).toEqualTypeOf(orders.schema)
  })

  test('crossJoin puts every column side by side', () => {
    expectTypeOf(orders.crossJoin(customers).schema.name).toEqualTypeOf<'utf8'>()
    expectTypeOf(orders.crossJoin(customers).schema.id_right).toEqualTypeOf<'int32'>()
  })
})

describe('join mistakes do not compile', () => {
  test('keys of dtypes that can never be equal, unknown keys, unknown how', () => {
    // @ts-expect-error utf8 name = int64 id can never be equal
    orders.join(customers, { leftOn: 'id', rightOn: 'name' })
    // @ts-expect-error customers has no column "customer"
    orders.join(customers, { on: 'customer' })
    // @ts-expect-error orders has no column "nope"
    orders.join(customers, { leftOn: 'nope', rightOn: 'id' })
    // @ts-expect-error 'outer' is not a join type (use 'full')
    orders.join(customers, { on: 'id', how: 'outer' })
  })
})
