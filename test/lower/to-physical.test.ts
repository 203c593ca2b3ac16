import { describe, expect, it } from 'vitest'
import { col, lit } from '../../src/expr/builder.js'
import type { ExprNode } from '../../src/expr/expr-node.js'
import { literalValue, toPhysical } from '../../src/lower/to-physical.js'
import { TsdaskError } from '../../src/util/errors.js'
import { coalesceOf, everyDType } from '../support/plan-builders.js'

const schema = everyDType

const phys = (e: { node: ExprNode }) => toPhysical(e.node, schema)
/** Compact JSON, one physical expression a line, for golden snapshots. */
const json = (e: { node: ExprNode }) => JSON.stringify(phys(e))

describe('toPhysical resolves columns to indexes and makes every coercion explicit', () => {
  it('a column becomes its index and dtype', () => {
    expect(phys(col('s'))).toEqual({ kind: 'column', index: 4, dtype: 'utf8' })
  })

  it('widens the narrower operand of arithmetic with a cast', () => {
    expect([
      json(col('i').add(col('l'))),
      json(col('l').mul(col('f'))),
      json(col('i').sub(col('i'))),
    ]).toMatchInlineSnapshot(`
        [
          "{"kind":"binary","op":"add","left":{"kind":"cast","arg":{"kind":"column","index":1,"dtype":"int32"},"dtype":"int64"},"right":{"kind":"column","index":2,"dtype":"int64"},"dtype":"int64"}",
          "{"kind":"binary","op":"mul","left":{"kind":"cast","arg":{"kind":"column","index":2,"dtype":"int64"},"dtype":"float64"},"right":{"kind":"column","index":3,"dtype":"float64"},"dtype":"float64"}",
          "{"kind":"binary","op":"sub","left":{"kind":"column","index":1,"dtype":"int32"},"right":{"kind":"column","index":1,"dtype":"int32"},"dtype":"int32"}",
        ]
      `)
  })

  it('casts both operands of / to float64', () => {
    expect(json(col('i').div(col('l')))).toMatchInlineSnapshot(
      `"{"kind":"binary","op":"div","left":{"kind":"cast","arg":{"kind":"column","index":1,"dtype":"int32"},"dtype":"float64"},"right":{"kind":"cast","arg":{"kind":"column","index":2,"dtype":"int64"},"dtype":"float64"},"dtype":"float64"}"`,
    )
  })

  it('converts literals at plan time instead of casting them at run time', () => {
    expect([
      json(col('l').gt(10)),
      json(col('i').gt(2.5)),
      json(col('f').eq(3)),
      json(col('i').add(5n)),
      json(col('l').add(-7)),
    ]).toMatchInlineSnapshot(`
      [
        "{"kind":"binary","op":"gt","left":{"kind":"column","index":2,"dtype":"int64"},"right":{"kind":"literal","value":"10","dtype":"int64"},"dtype":"bool"}",
        "{"kind":"binary","op":"gt","left":{"kind":"cast","arg":{"kind":"column","index":1,"dtype":"int32"},"dtype":"float64"},"right":{"kind":"literal","value":2.5,"dtype":"float64"},"dtype":"bool"}",
        "{"kind":"binary","op":"eq","left":{"kind":"column","index":3,"dtype":"float64"},"right":{"kind":"literal","value":3,"dtype":"float64"},"dtype":"bool"}",
        "{"kind":"binary","op":"add","left":{"kind":"cast","arg":{"kind":"column","index":1,"dtype":"int32"},"dtype":"int64"},"right":{"kind":"literal","value":"5","dtype":"int64"},"dtype":"int64"}",
        "{"kind":"binary","op":"add","left":{"kind":"column","index":2,"dtype":"int64"},"right":{"kind":"literal","value":"-7","dtype":"int64"},"dtype":"int64"}",
      ]
    `)
  })

  it('compares date32 with timestamp[ms] as timestamps; date32 literals become days since the epoch', () => {
    const day = new Date('2024-03-01T12:00:00Z')
    expect([
      json(col('d').lt(day)),
      json(col('t').gte(col('d'))),
      json(col('d').eq(lit(day, 'date32'))),
    ]).toMatchInlineSnapshot(`
        [
          "{"kind":"binary","op":"lt","left":{"kind":"cast","arg":{"kind":"column","index":5,"dtype":"date32"},"dtype":"timestamp[ms]"},"right":{"kind":"literal","value":1709294400000,"dtype":"timestamp[ms]"},"dtype":"bool"}",
          "{"kind":"binary","op":"gte","left":{"kind":"column","index":6,"dtype":"timestamp[ms]"},"right":{"kind":"cast","arg":{"kind":"column","index":5,"dtype":"date32"},"dtype":"timestamp[ms]"},"dtype":"bool"}",
          "{"kind":"binary","op":"eq","left":{"kind":"column","index":5,"dtype":"date32"},"right":{"kind":"literal","value":19783,"dtype":"date32"},"dtype":"bool"}",
        ]
      `)
  })

  it('types NULL literals from the other operand', () => {
    expect([
      json(col('l').eq(lit(null))),
      json(col('s').neq(null)),
      json(col('b').and(lit(null))),
      json(col('f').add(lit(null))),
      json(lit(null).cast('date32')),
      json(lit(null)),
    ]).toMatchInlineSnapshot(`
      [
        "{"kind":"binary","op":"eq","left":{"kind":"column","index":2,"dtype":"int64"},"right":{"kind":"literal","value":null,"dtype":"int64"},"dtype":"bool"}",
        "{"kind":"binary","op":"neq","left":{"kind":"column","index":4,"dtype":"utf8"},"right":{"kind":"literal","value":null,"dtype":"utf8"},"dtype":"bool"}",
        "{"kind":"binary","op":"and","left":{"kind":"column","index":0,"dtype":"bool"},"right":{"kind":"literal","value":null,"dtype":"bool"},"dtype":"bool"}",
        "{"kind":"binary","op":"add","left":{"kind":"column","index":3,"dtype":"float64"},"right":{"kind":"literal","value":null,"dtype":"float64"},"dtype":"float64"}",
        "{"kind":"literal","value":null,"dtype":"date32"}",
        "{"kind":"literal","value":null,"dtype":"int32"}",
      ]
    `)
  })

  it('IN, coalesce, negation, string functions and casts', () => {
    expect([
      json(col('i').isIn([1, 2n, null])),
      json(col('i').isIn([1, 2.5])),
      json(coalesceOf(col('i'), 0.5)),
      json(coalesceOf(col('d'), col('t'))),
      json(col('l').neg()),
      json(col('s').startsWith("O'")),
      json(col('s').length()),
      json(col('i').cast('float64')),
      json(col('f').cast('float64')),
      json(col('i').isNull().not()),
    ]).toMatchInlineSnapshot(`
      [
        "{"kind":"isIn","arg":{"kind":"cast","arg":{"kind":"column","index":1,"dtype":"int32"},"dtype":"int64"},"values":["1","2",null],"dtype":"bool"}",
        "{"kind":"isIn","arg":{"kind":"cast","arg":{"kind":"column","index":1,"dtype":"int32"},"dtype":"float64"},"values":[1,2.5],"dtype":"bool"}",
        "{"kind":"coalesce","args":[{"kind":"cast","arg":{"kind":"column","index":1,"dtype":"int32"},"dtype":"float64"},{"kind":"literal","value":0.5,"dtype":"float64"}],"dtype":"float64"}",
        "{"kind":"coalesce","args":[{"kind":"cast","arg":{"kind":"column","index":5,"dtype":"date32"},"dtype":"timestamp[ms]"},{"kind":"column","index":6,"dtype":"timestamp[ms]"}],"dtype":"timestamp[ms]"}",
        "{"kind":"unary","op":"negate","arg":{"kind":"column","index":2,"dtype":"int64"},"dtype":"int64"}",
        "{"kind":"string","fn":"startsWith","arg":{"kind":"column","index":4,"dtype":"utf8"},"pattern":"O'","dtype":"bool"}",
        "{"kind":"string","fn":"length","arg":{"kind":"column","index":4,"dtype":"utf8"},"dtype":"int32"}",
        "{"kind":"cast","arg":{"kind":"column","index":1,"dtype":"int32"},"dtype":"float64"}",
        "{"kind":"column","index":3,"dtype":"float64"}",
        "{"kind":"unary","op":"not","arg":{"kind":"unary","op":"isNull","arg":{"kind":"column","index":1,"dtype":"int32"},"dtype":"bool"},"dtype":"bool"}",
      ]
    `)
  })

  it('is JSON-safe: no bigint, Date or undefined survives', () => {
    const e = col('l')
      .add(123456789012345678n)
      .gt(0)
      .and(col('t').lt(new Date(5)))
      .and(col('d').isIn([new Date(86_400_000)]))
    const p = phys(e)
    expect(JSON.parse(JSON.stringify(p))).toEqual(p)
    expect(JSON.stringify(p)).toContain('"123456789012345678"')
  })

  it('rejects aggregates outside agg()', () => {
    expect(() => phys(col('f').sum().gt(1))).toThrowErrorMatchingInlineSnapshot(
      `[TsdaskError: aggregate \`sum(f)\` is only allowed inside groupBy(...).agg({...})]`,
    )
  })
})

describe('literalValue', () => {
  it('converts each JS value to the JSON form of the target dtype', () => {
    const L = (value: Parameters<typeof lit>[0]) => lit(value).node as Extract<ExprNode, { kind: 'Literal' }>
    expect([
      literalValue(L(3), 'int64'),
      literalValue(L(3n), 'float64'),
      literalValue(L(true), 'bool'),
      literalValue(L(new Date(86_400_000 * 3 + 5)), 'date32'),
      literalValue(L(new Date(-1)), 'date32'),
      literalValue(L(new Date(42)), 'timestamp[ms]'),
      literalValue(L(null), 'utf8'),
    ]).toEqual(['3', 3, true, 3, -1, 42, null])
  })

  it('refuses values that do not fit the dtype', () => {
    const L = (value: Parameters<typeof lit>[0]) => lit(value).node as Extract<ExprNode, { kind: 'Literal' }>
    for (const [value, dtype] of [
      [2.5, 'int64'],
      ['x', 'int32'],
      [1, 'utf8'],
      [new Date(0), 'float64'],
      [1, 'date32'],
    ] as const) {
      let error: unknown
      try {
        literalValue(L(value), dtype)
      } catch (e) {
        error = e
      }
      expect(error, `${String(value)} as ${dtype}`).toBeInstanceOf(TsdaskError)
      expect((error as TsdaskError).code).toBe('TYPE_MISMATCH')
    }
  })

  it('a non-integer or out-of-range number passes as int32', () => {
    const L = (value: number) => lit(value).node as Extract<ExprNode, { kind: 'Literal' }>
    expect(() => literalValue(L(2.5), 'int32')).toThrow(TsdaskError)
    expect(() => literalValue(L(2 ** 40), 'int32')).toThrow(TsdaskError)
  })
})
