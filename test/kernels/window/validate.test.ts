import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  describeWindowFunction,
  type FrameBound,
  validateWindowClause,
  validateWindowFrame,
  validateWindowFunction,
  type WindowFrame,
  type WindowFunctionSpec,
  windowColumns,
} from '../../../src/kernels/window/index.js'
import { thrown } from '../../support/thrown.js'
import { batchOf } from '../helpers.js'
import { frame, functionSpec } from './arbitraries.js'

const rows = (start: FrameBound, end: FrameBound): WindowFrame => ({ unit: 'rows', start, end })
const preceding = (offset: number): FrameBound => ({ kind: 'preceding', offset })
const following = (offset: number): FrameBound => ({ kind: 'following', offset })
const current: FrameBound = { kind: 'currentRow' }

describe('validateWindowFunction', () => {
  test('ntile needs a positive whole number of buckets', () => {
    for (const buckets of [0, -2, 1.5, Number.NaN]) {
      const e = thrown(() => validateWindowFunction({ fn: 'ntile', buckets, name: 'q' }))
      expect(e.code).toBe('INVALID_ARGUMENT')
      expect(e.message).toContain(`window function "q" = ntile(${buckets})`)
      expect(e.message).toContain('the number of buckets must be a positive whole number')
    }
    expect(() => validateWindowFunction({ fn: 'ntile', buckets: 4, name: 'q' })).not.toThrow()
  })

  test('nth_value counts from 1', () => {
    const e = thrown(() => validateWindowFunction({ fn: 'nthValue', input: 0, inputDType: 'int32', n: 0, name: 'x' }))
    expect(e.message).toMatch(
      /nth_value\(#0, 0\): the row number must be a positive whole number, got 0\. nth_value counts from 1/,
    )
  })

  test('sum and avg need a numeric input', () => {
    const e = thrown(() => validateWindowFunction({ fn: 'mean', input: 2, inputDType: 'utf8', name: 'a' }))
    expect(e.code).toBe('TYPE_MISMATCH')
    expect(e.message).toContain('avg needs a numeric input, got utf8')
    expect(() => validateWindowFunction({ fn: 'min', input: 2, inputDType: 'utf8', name: 'a' })).not.toThrow()
  })

  test('lag / lead: whole offsets of any sign; a default of the input dtype', () => {
    const lag = (extra: object): WindowFunctionSpec =>
      ({ fn: 'lag', input: 0, inputDType: 'int64', name: 'l', ...extra }) as WindowFunctionSpec
    expect(() => validateWindowFunction(lag({ offset: -2 }))).not.toThrow()
    expect(thrown(() => validateWindowFunction(lag({ offset: 0.5 }))).message).toContain(
      'the offset must be a whole number of rows, got 0.5',
    )
    expect(() => validateWindowFunction(lag({ default: { kind: 'literal', value: '-12' } }))).not.toThrow()
    expect(thrown(() => validateWindowFunction(lag({ default: { kind: 'literal', value: 'abc' } }))).message).toContain(
      'the default "abc" is not a int64 value',
    )
    expect(thrown(() => validateWindowFunction(lag({ default: { kind: 'column', index: -1 } }))).message).toContain(
      'the default column #-1 is not a column index',
    )
  })

  test('unknown functions and malformed specs name what is wrong', () => {
    expect(thrown(() => validateWindowFunction({ fn: 'median', name: 'm' } as never)).message).toContain(
      '"median" is not a window function',
    )
    expect(
      thrown(() => validateWindowFunction({ fn: 'sum', input: 1.5, inputDType: 'int32', name: 's' })).message,
    ).toContain('the input column #1.5 is not a column index')
    expect(
      thrown(() => validateWindowFunction({ fn: 'sum', input: 1, inputDType: 'int8' as never, name: 's' })).message,
    ).toContain('the input dtype "int8" is unknown')
  })

  test('every generated spec is valid, and survives a JSON round trip unchanged', () => {
    fc.assert(
      fc.property(functionSpec, (spec) => {
        validateWindowFunction(spec)
        const back = JSON.parse(JSON.stringify(spec)) as WindowFunctionSpec
        expect(back).toEqual(spec)
        validateWindowFunction(back)
      }),
    )
  })
})

describe('validateWindowFrame', () => {
  test('a frame that starts after it ends is refused, saying so', () => {
    const cases: [WindowFrame, string][] = [
      [rows(current, preceding(1)), 'ROWS BETWEEN CURRENT ROW AND 1 PRECEDING starts after it ends'],
      [rows(following(1), current), 'ROWS BETWEEN 1 FOLLOWING AND CURRENT ROW starts after it ends'],
      [rows(preceding(1), preceding(3)), 'ROWS BETWEEN 1 PRECEDING AND 3 PRECEDING starts after it ends'],
      [rows(following(4), following(2)), 'ROWS BETWEEN 4 FOLLOWING AND 2 FOLLOWING starts after it ends'],
      [rows({ kind: 'unboundedFollowing' }, { kind: 'unboundedFollowing' }), 'starts at UNBOUNDED FOLLOWING'],
      [rows(current, { kind: 'unboundedPreceding' }), 'ends at UNBOUNDED PRECEDING'],
    ]
    for (const [f, message] of cases) {
      const e = thrown(() => validateWindowFrame(f))
      expect(e.code).toBe('INVALID_ARGUMENT')
      expect(e.message).toContain(message)
    }
  })

  test('negative and fractional offsets are refused, with the bound to write instead', () => {
    expect(thrown(() => validateWindowFrame(rows(preceding(-1), current))).message).toMatch(
      /frame start -1 PRECEDING needs a non-negative whole number of rows\. Write 1 FOLLOWING/,
    )
    expect(thrown(() => validateWindowFrame(rows(current, following(-2)))).message).toContain('Write 2 PRECEDING')
    expect(thrown(() => validateWindowFrame(rows(preceding(1.5), current))).message).toContain(
      'Give the offset as an integer',
    )
  })

  test('RANGE frames take no offsets yet', () => {
    const e = thrown(() => validateWindowFrame({ unit: 'range', start: preceding(1), end: current }))
    expect(e.code).toBe('NOT_SUPPORTED')
    expect(e.message).toContain('RANGE frames with an offset (1 PRECEDING) are not supported yet')
  })

  test('0 PRECEDING and 0 FOLLOWING are the current row, and frames may be empty near the edges', () => {
    expect(() => validateWindowFrame(rows(current, preceding(0)))).not.toThrow()
    expect(() => validateWindowFrame(rows(following(0), current))).not.toThrow()
    expect(() => validateWindowFrame(rows(preceding(3), preceding(1)))).not.toThrow()
  })

  test('every generated frame is valid', () => {
    fc.assert(fc.property(frame, (f) => validateWindowFrame(f)))
  })

  test('bad units and bounds', () => {
    expect(
      thrown(() => validateWindowFrame({ unit: 'groups', start: current, end: current } as never)).message,
    ).toContain('the frame unit "groups" is unknown')
    expect(
      thrown(() => validateWindowFrame({ unit: 'rows', start: { kind: 'before' }, end: current } as never)).message,
    ).toContain('the frame start {"kind":"before"} is not a frame bound')
  })
})

describe('validateWindowClause and the kernel entry', () => {
  test('clauses', () => {
    expect(() => validateWindowClause({ partitionBy: [0], orderBy: [] })).not.toThrow()
    expect(thrown(() => validateWindowClause({ partitionBy: [-1], orderBy: [] })).message).toContain(
      'PARTITION BY [-1] is not a list of column indexes',
    )
    expect(thrown(() => validateWindowClause({ partitionBy: [], orderBy: [{ index: 0 }] } as never)).message).toContain(
      'the ORDER BY key {"index":0} is not a sort key',
    )
  })

  test('the kernels validate their args, and check columns against the batch', () => {
    const batch = batchOf({ g: ['int32', [1, 2]], v: ['utf8', ['a', 'b']] })
    expect(
      thrown(() => windowColumns(batch, { partitionBy: [], orderBy: [] }, [{ fn: 'ntile', buckets: 0, name: 'n' }]))
        .code,
    ).toBe('INVALID_ARGUMENT')
    const wrongType = thrown(() =>
      windowColumns(batch, { partitionBy: [], orderBy: [] }, [{ fn: 'max', input: 1, inputDType: 'int32', name: 'm' }]),
    )
    expect(wrongType.message).toContain('input column #1 is utf8, the spec says int32')
    expect(thrown(() => windowColumns(batch, { partitionBy: [5], orderBy: [] }, [])).message).toContain(
      'PARTITION BY column #5 out of range',
    )
  })

  test('describeWindowFunction prints SQL', () => {
    expect(
      describeWindowFunction({
        fn: 'sum',
        input: 1,
        inputDType: 'int32',
        name: 's',
        frame: rows(preceding(3), current),
      }),
    ).toBe('sum(#1) OVER (ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)')
    expect(
      describeWindowFunction({
        fn: 'lag',
        input: 2,
        inputDType: 'utf8',
        name: 'l',
        default: { kind: 'literal', value: 'x' },
        ignoreNulls: true,
      }),
    ).toBe('lag(#2, 1, "x" IGNORE NULLS)')
    expect(describeWindowFunction({ fn: 'countAll', name: 'c' })).toBe('count(*)')
  })
})
