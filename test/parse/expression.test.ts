import { describe, expect, it } from 'vitest'
import { coalesce, col, count, lit } from '../../src/expr/builder.js'
import type { ExprNode } from '../../src/expr/expr-node.js'
import { printExpr } from '../../src/expr/print.js'
import { exprSignature } from '../../src/expr/visit.js'
import { parseExpression } from '../../src/parse/index.js'

const parse = (text: string) => exprSignature(parseExpression(text))
const same = (e: { node: ExprNode }) => exprSignature(e.node)

describe('expression strings parse to the nodes the builder makes', () => {
  const fare = col('fare')
  const vendor = col('vendor')
  it.each([
    ["fare > 10 and vendor == 'CMT'", fare.gt(10).and(vendor.eq('CMT'))],
    ["fare > 10 AND vendor = 'CMT'", fare.gt(10).and(vendor.eq('CMT'))],
    ['tip / fare * 100', col('tip').div(fare).mul(100)],
    ['a - b - c', col('a').sub(col('b')).sub(col('c'))],
    ['a - (b - c)', col('a').sub(col('b').sub(col('c')))],
    ['a + b * c % d', col('a').add(col('b').mul(col('c')).mod(col('d')))],
    ['a OR b AND NOT c', col('a').or(col('b').and(col('c').not()))],
    [
      'a AND b OR c AND d OR e',
      col('a')
        .and(col('b'))
        .or(col('c').and(col('d')))
        .or(col('e')),
    ],
    [
      'a OR b OR c AND d AND e',
      col('a')
        .or(col('b'))
        .or(col('c').and(col('d')).and(col('e'))),
    ],
    [
      'a - b * c + d / e % f - g',
      col('a')
        .sub(col('b').mul(col('c')))
        .add(col('d').div(col('e')).mod(col('f')))
        .sub(col('g')),
    ],
    [
      'a * b - c * d',
      col('a')
        .mul(col('b'))
        .sub(col('c').mul(col('d'))),
    ],
    ['-a * -b - -1', col('a').neg().mul(col('b').neg()).sub(lit(-1))],
    [
      'a + b BETWEEN c * d AND e - f',
      col('a')
        .add(col('b'))
        .between(col('c').mul(col('d')), col('e').sub(col('f'))),
    ],
    ['NOT a = b', col('a').eq(col('b')).not()],
    ['x <> 1 or x != 2', col('x').neq(1).or(col('x').neq(2))],
    ['x <= 1 or x >= 2 or x < 3', col('x').lte(1).or(col('x').gte(2)).or(col('x').lt(3))],
    ['x IS NULL', col('x').isNull()],
    ['x + 1 IS NOT NULL', col('x').add(1).isNotNull()],
    ['x IN (1, 2, 3)', col('x').isIn([1, 2, 3])],
    ["x NOT IN ('a', NULL)", col('x').isIn(['a', null]).not()],
    ['x BETWEEN 1 AND 10', col('x').between(1, 10)],
    ['x NOT BETWEEN 1 AND 10', col('x').between(1, 10).not()],
    ['-5', lit(-5)],
    ['-(5)', lit(5).neg()],
    ['-x', col('x').neg()],
    ['+x', col('x')],
    ['x > -2.5', col('x').gt(-2.5)],
    ['2.0', lit(2, 'float64')],
    ['1e3', lit(1000, 'float64')],
    ['3000000000', lit(3000000000n)],
    ['-2147483648', lit(-2147483648)],
    ['-2147483649', lit(-2147483649n)],
    ['999999999', lit(999999999)],
    ['0000000012', lit(12)],
    ["'it''s'", lit("it's")],
    ['TRUE OR FALSE', lit(true).or(false)],
    ['NULL', lit(null)],
    ["DATE '2024-01-31'", lit(new Date('2024-01-31T00:00:00Z'), 'date32')],
    ["TIMESTAMP '2024-01-31 12:30:00.250'", lit(new Date('2024-01-31T12:30:00.250Z'))],
    ['CAST(x AS int64)', col('x').cast('int64')],
    ['CAST(x AS BIGINT)', col('x').cast('int64')],
    ['CAST(x AS varchar)', col('x').cast('utf8')],
    ['CAST(x AS DATE)', col('x').cast('date32')],
    ['CAST(5 AS int64)', lit(5n)],
    ['CAST((5) AS int64)', lit(5).cast('int64')],
    ['CAST(NULL AS utf8)', lit(null, 'utf8')],
    ["CAST('NaN' AS float64)", lit(Number.NaN)],
    ['coalesce(a, b, 0)', coalesce(col('a'), col('b'), 0)],
    ["starts_with(vendor, 'C')", vendor.startsWith('C')],
    ["ends_with(vendor, 'T')", vendor.endsWith('T')],
    ["contains(vendor, 'M')", vendor.contains('M')],
    ['lower(vendor) = upper(vendor)', vendor.lower().eq(vendor.upper())],
    ['length(vendor)', vendor.length()],
    ['count(*)', count()],
    ['COUNT(x)', col('x').count()],
    ['sum(x) / count(*)', col('x').sum().div(count())],
    ['avg(x)', col('x').mean()],
    ['mean(x)', col('x').mean()],
    ['min(x) + max(x)', col('x').min().add(col('x').max())],
    ['"my col" + "a""b"', col('my col').add(col('a"b'))],
    ["date > DATE '2024-01-01'", col('date').gt(lit(new Date('2024-01-01T00:00:00Z'), 'date32'))],
    ['t.fare', fare],
    ['x -- a comment\n + /* another */ 1', col('x').add(1)],
  ] as const)('%s', (text, built) => {
    expect(parse(text)).toBe(same(built))
  })

  it('-0 is the int32 literal 0, not negative zero', () => {
    const zero = parseExpression('-0')
    expect(zero).toEqual({ kind: 'Literal', value: 0, dtype: 'int32' })
    expect(zero.kind === 'Literal' && Object.is(zero.value, 0)).toBe(true)
  })

  it('keywords are case-insensitive; names keep their case', () => {
    expect(parse('Fare > 1 aNd NoT x iS nUlL')).toBe(same(col('Fare').gt(1).and(col('x').isNull().not())))
  })

  it('prints back what it parsed', () => {
    for (const text of ["fare > 10 AND vendor = 'CMT'", 'NOT x IN (1, 2)', 'CAST(5 AS int64)', '-(5)', 'a - (b - c)']) {
      expect(printExpr(parseExpression(text))).toBe(text)
    }
  })
})
