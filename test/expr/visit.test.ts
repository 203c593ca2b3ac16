import { describe, expect, it } from 'vitest'
import { coalesce, col, count, lit } from '../../src/expr/builder.js'
import type { ExprNode } from '../../src/expr/expr-node.js'
import { columnsOf, containsAgg, exprChildren, exprEquals, exprSignature, transformExpr } from '../../src/expr/visit.js'

describe('exprSignature / exprEquals', () => {
  it('equal for the same expression built twice', () => {
    const build = () =>
      col('fare')
        .gt(10)
        .and(col('day').lt(new Date('2024-01-01')))
        .or(col('s').isIn(['a', null]))
    expect(exprSignature(build().node)).toBe(exprSignature(build().node))
    expect(exprEquals(build().node, build().node)).toBe(true)
  })

  it('tells apart literals by value and by dtype', () => {
    const pairs: [ExprNode, ExprNode][] = [
      [lit(1).node, lit(2).node],
      [lit(1).node, lit(1, 'int64').node],
      [lit(1).node, lit(1n).node],
      [lit(1).node, lit('1').node],
      [lit(null).node, lit(null, 'int32').node],
      [lit(new Date(0)).node, lit(new Date(1)).node],
      [lit(new Date(0)).node, lit(new Date(0), 'date32').node],
      [lit(Number.NaN).node, lit(Number.POSITIVE_INFINITY).node],
      [lit(Number.POSITIVE_INFINITY).node, lit(Number.NEGATIVE_INFINITY).node],
      [lit(Number.NaN).node, lit(null, 'float64').node],
      [lit(true).node, lit(1).node],
    ]
    for (const [x, y] of pairs) expect(exprEquals(x, y), `${exprSignature(x)} vs ${exprSignature(y)}`).toBe(false)
  })

  it('tells apart operators, operand order, column names and patterns', () => {
    expect(exprEquals(col('a').gt(1).node, col('a').gte(1).node)).toBe(false)
    expect(exprEquals(col('a').sub(col('b')).node, col('b').sub(col('a')).node)).toBe(false)
    expect(exprEquals(col('a').node, col('A').node)).toBe(false)
    expect(exprEquals(col('s').contains('x').node, col('s').contains('y').node)).toBe(false)
    expect(exprEquals(col('a').sum().node, col('a').mean().node)).toBe(false)
  })

  it('compares Dates by time, not identity', () => {
    expect(exprEquals(lit(new Date(5)).node, lit(new Date(5)).node)).toBe(true)
  })

  it('depends on property order: a node written with keys in another order is "different"', () => {
    const reordered: ExprNode = { kind: 'Literal', dtype: 'int32', value: 1 }
    expect(exprEquals(lit(1).node, reordered)).toBe(true)
  })
})

describe('walks', () => {
  const e = col('a')
    .add(col('b'))
    .gt(col('a'))
    .and(coalesce(col('c'), 0).isNull())
    .or(col('d').isIn([1]))

  it('columnsOf: first-use order, no duplicates, into an array or a set', () => {
    expect(columnsOf(e.node)).toEqual(['a', 'b', 'c', 'd'])
    expect([...columnsOf(e.node, new Set(['z']))]).toEqual(['z', 'a', 'b', 'c', 'd'])
    expect(columnsOf(count().node)).toEqual([])
  })

  it('exprChildren covers every child', () => {
    expect(exprChildren(col('d').isIn([1, 2]).node)).toHaveLength(3)
    expect(exprChildren(count().node)).toEqual([])
  })

  it('containsAgg finds aggregates at any depth', () => {
    expect(containsAgg(e.node)).toBe(false)
    expect(containsAgg(col('a').max().sub(col('a').min()).node)).toBe(true)
    expect(containsAgg(coalesce(count(), 0).node)).toBe(true)
  })

  it('transformExpr rebuilds bottom-up', () => {
    const order: string[] = []
    const renamed = transformExpr(col('a').add(col('b')).neg().node, (n) => {
      order.push(n.kind)
      return n.kind === 'Column' ? { kind: 'Column', name: n.name.toUpperCase() } : n
    })
    expect(order).toEqual(['Column', 'Column', 'Binary', 'Unary'])
    expect(exprEquals(renamed, col('A').add(col('B')).neg().node)).toBe(true)
  })
})
