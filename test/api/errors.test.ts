/**
 * Errors a user can cause, as the user sees them: a TsdaskError with a stable code whose message
 * says what is wrong, where (file and line, column, partition, the step in the user's code), and
 * what to do. Failures inside tasks must read the same on the pool as on sync.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { col, count, type ErrorCode, fromRecords, readCsv, shutdown, TsdaskError } from '../../src/index.js'

const dir = mkdtempSync(join(tmpdir(), 'tsdask-api-errors-'))
afterAll(async () => {
  await shutdown()
  rmSync(dir, { recursive: true, force: true })
})

const THIS_FILE = 'errors.test.ts'

function thrown(f: () => unknown): TsdaskError {
  try {
    f()
  } catch (error) {
    expect(error).toBeInstanceOf(TsdaskError)
    return error as TsdaskError
  }
  throw new Error('expected an error, but none was thrown')
}

async function rejected(p: Promise<unknown>): Promise<TsdaskError> {
  try {
    await p
  } catch (error) {
    expect(error).toBeInstanceOf(TsdaskError)
    return error as TsdaskError
  }
  throw new Error('expected a rejection, but the promise resolved')
}

function expectCode(error: TsdaskError, code: ErrorCode): void {
  expect(error.code, error.message).toBe(code)
}

const tripsPath = join(dir, 'trips.csv')
writeFileSync(tripsPath, 'vendor,fare,tip\nCMT,10.5,1\nVTS,3.25,0\nCMT,7,2\n')

describe('unknown columns on an untyped frame (caught at run time, when the step is built)', () => {
  const trips = readCsv(tripsPath)

  test('in filter: lists the available columns, suggests the closest, points at the line', () => {
    const error = thrown(() => trips.filter(col('fair').gt(1)))
    expectCode(error, 'UNKNOWN_COLUMN')
    expect(error.message).toContain('Unknown column "fair"')
    expect(error.message).toContain('Did you mean "fare"')
    expect(error.message).toContain('Available columns: "vendor", "fare", "tip"')
    expect(error.message).toMatch(new RegExp(`in filter built at .*${THIS_FILE}:\\d+:\\d+`))
    expect(error.details.origin).toContain(THIS_FILE)
  })

  test('in withColumns and agg', () => {
    const inProject = thrown(() => trips.withColumns({ total: col('fare').add(col('tips')) }))
    expectCode(inProject, 'UNKNOWN_COLUMN')
    expect(inProject.message).toContain('Did you mean "tip"')
    const inAgg = thrown(() => trips.groupBy('vendor').agg({ s: col('Fare').sum() }))
    expectCode(inAgg, 'UNKNOWN_COLUMN')
    expect(inAgg.message).toContain('Did you mean "fare"')
  })

  test.each([
    ['select', () => trips.select('vendor', 'vendr')],
    ['drop', () => trips.drop('vendr')],
    ['groupBy', () => trips.groupBy('vendr')],
    ['sort', () => trips.sort('vendr')],
    ['rename', () => trips.rename({ vendr: 'v' })],
  ])('in %s(): names the method and suggests the column', (method, build) => {
    const error = thrown(build)
    expectCode(error, 'UNKNOWN_COLUMN')
    expect(error.message).toContain(`Unknown column "vendr" in ${method}()`)
    expect(error.message).toContain('Did you mean "vendor"')
    expect(error.message).toContain('Available columns: "vendor", "fare", "tip"')
  })

  test('select() of an unknown column says where the user wrote it', () => {
    const error = thrown(() => trips.select('vendr'))
    expect(error.message).toContain(THIS_FILE)
  })

  test('nothing matches closely: no suggestion, still the list of columns', () => {
    const error = thrown(() => trips.filter(col('zzzzzzzz').isNull()))
    expect(error.message).not.toContain('Did you mean')
    expect(error.message).toContain('Available columns: "vendor", "fare", "tip"')
  })
})

describe('type errors on an untyped frame', () => {
  const trips = readCsv(tripsPath)

  test('utf8 > number: says which expression, the two types, and how to fix it', () => {
    const error = thrown(() => trips.filter(col('vendor').gt(5)))
    expectCode(error, 'TYPE_MISMATCH')
    expect(error.message).toContain('`vendor > 5`')
    expect(error.message).toContain('cannot compare utf8 with int32')
    expect(error.message).toMatch(/CAST/)
    expect(error.message).toMatch(new RegExp(`in filter built at .*${THIS_FILE}:\\d+`))
  })

  test('comparing a utf8 column with a float64 column', () => {
    const error = thrown(() => trips.filter(col('vendor').lt(col('fare'))))
    expectCode(error, 'TYPE_MISMATCH')
    expect(error.message).toContain('cannot compare utf8 with float64')
  })

  test('a string function on a float column; sum of a string column', () => {
    const lower = thrown(() => trips.withColumns({ x: col('fare').lower() }))
    expectCode(lower, 'TYPE_MISMATCH')
    expect(lower.message).toContain('lower needs a utf8 operand, got float64')
    expect(lower.message).toContain('CAST(x AS utf8)')
    const sum = thrown(() => trips.groupBy('fare').agg({ s: col('vendor').sum() }))
    expectCode(sum, 'TYPE_MISMATCH')
    expect(sum.message).toContain('sum needs a numeric input, got utf8')
  })

  test('a non-bool filter predicate', () => {
    // Compile-time typing rejects this (test/types); plain JavaScript callers get the run-time check.
    const error = thrown(() => trips.filter(col('fare').add(1) as never))
    expectCode(error, 'TYPE_MISMATCH')
    expect(error.message).toContain('filter needs a bool predicate')
  })

  test('a column outside an aggregate in agg() names the column and both fixes', () => {
    const error = thrown(() => trips.groupBy('vendor').agg({ x: col('fare').max().sub(col('tip')) }))
    expectCode(error, 'INVALID_ARGUMENT')
    expect(error.message).toContain('uses column "tip" outside an aggregate')
    expect(error.message).toContain('col("tip").max()')
    expect(error.message).toContain('groupBy()')
  })
})

describe('errors while computing', () => {
  const numbers = fromRecords(
    [
      { a: 2147483647, b: 1, big: 2n ** 62n },
      { a: 1, b: 1, big: 2n ** 62n },
    ],
    { schema: { a: 'int32', b: 'int32', big: 'int64' }, npartitions: 2 },
  )

  test.each(['sync', 'pool'] as const)(
    'integer overflow is an error, never a wrapped value (%s)',
    async (scheduler) => {
      const add = await rejected(numbers.withColumns({ c: col('a').add(col('b')) }).toRecords({ scheduler }))
      expectCode(add, 'OVERFLOW')
      expect(add.message).toContain('int32 overflow in add: 2147483647 + 1 does not fit in int32')
      expect(add.message).toContain('Cast the operands to int64 or float64')
      expect(add.message).toMatch(new RegExp(`in project \\(partition 0, .*built at .*${THIS_FILE}:\\d+`))

      const sum = await rejected(numbers.agg({ s: col('big').sum() }).toRecords({ scheduler }))
      expectCode(sum, 'OVERFLOW')
      expect(sum.message).toContain('int64 overflow in sum')
    },
  )

  test('a cast that cannot parse names the value', async () => {
    const error = await rejected(
      fromRecords([{ s: '12' }, { s: 'x1' }])
        .withColumns({ n: col('s').cast('int32') })
        .toRecords({ scheduler: 'sync' }),
    )
    expectCode(error, 'TYPE_MISMATCH')
    expect(error.message).toContain('cannot cast "x1" to int32')
  })
})

describe('malformed CSV', () => {
  // 300 good rows, then one bad line far past the inference sample, so the error is raised by a
  // read-csv task inside compute(), not by readCsv() itself.
  const good = Array.from({ length: 300 }, (_, i) => `${i},v${i % 5},${i}.5`)
  const BAD_LINE = 252 // 1-based line number in the file (the header is line 1)
  function fileWith(name: string, badRow: string): string {
    const rows = [...good]
    rows[BAD_LINE - 2] = badRow
    const path = join(dir, name)
    writeFileSync(path, `id,name,amount\n${rows.join('\n')}\n`)
    return path
  }
  const ragged = fileWith('ragged.csv', '250,v0')
  const badQuote = fileWith('bad-quote.csv', '250,"v0,1.5')
  const notNumber = fileWith('not-a-number.csv', '250,v0,12,5')
  const notFloat = fileWith('not-a-float.csv', '250,v0,n/a!')

  const query = (path: string) =>
    readCsv(path, { blocksize: 256, sampleBytes: 512 })
      .filter(col('id').gte(0))
      .groupBy('name')
      .agg({ n: count(), total: col('amount').sum() })

  describe.each(['sync', 'pool'] as const)('surfacing through compute() on %s', (scheduler) => {
    test('a ragged row: file, line, what was expected, how to fix, and the failing step', async () => {
      const error = await rejected(query(ragged).compute({ scheduler }))
      expectCode(error, 'CSV_PARSE')
      expect(error.message).toContain(`${ragged} line ${BAD_LINE}: expected 3 fields but found 2`)
      expect(error.message).toContain('Check the delimiter (",")')
      expect(error.message).toMatch(/in read-csv \(.*partition \d+/)
      expect(error.message).toContain(THIS_FILE)
    })

    test('an unterminated quote', async () => {
      const error = await rejected(query(badQuote).compute({ scheduler }))
      expectCode(error, 'CSV_PARSE')
      expect(error.message).toContain(`${badQuote} line ${BAD_LINE}: a quoted field is never closed`)
      expect(error.message).toContain("pass quote: ''")
      expect(error.message).toMatch(/in read-csv \(.*partition \d+/)
    })

    test('too many fields', async () => {
      const error = await rejected(query(notNumber).compute({ scheduler }))
      expectCode(error, 'CSV_PARSE')
      expect(error.message).toContain(`${notNumber} line ${BAD_LINE}: expected 3 fields but found 4`)
    })

    test('a non-numeric value in a float64 column: file, line, column, value, and a schema to use', async () => {
      const error = await rejected(query(notFloat).toRecords({ scheduler }))
      expectCode(error, 'CSV_VALUE')
      expect(error.message).toContain(
        `${notFloat} line ${BAD_LINE}, column "amount" (3rd): cannot read "n/a!" as float64`,
      )
      expect(error.message).toContain("{ schema: { amount: 'utf8' } }")
      expect(error.message).toContain('nullValues')
      expect(error.message).toMatch(/in read-csv \(.*partition \d+.*\) reading .*not-a-float\.csv bytes \d+\.\.\d+/)
      expect(error.details.origin).toContain(THIS_FILE)
    })
  })

  test('the same failure reads the same on sync and pool', async () => {
    const onSync = await rejected(query(notFloat).compute({ scheduler: 'sync' }))
    const onPool = await rejected(query(notFloat).compute({ scheduler: 'pool' }))
    expect(onPool.code).toBe(onSync.code)
    expect(onPool.message).toBe(onSync.message)
  })

  // Column pruning is what keeps the column unparsed, so this needs the optimizer on.
  test.skipIf(process.env.TSDASK_OPTIMIZER === 'off')(
    'a column the query does not read is not parsed, so its bad value is no error',
    async () => {
      const rows = await readCsv(notFloat, { blocksize: 256, sampleBytes: 512 })
        .agg({ n: count() })
        .toRecords({ scheduler: 'sync' })
      expect(rows).toEqual([{ n: 300n }])
    },
  )

  test('the pool stays usable after a failed computation', async () => {
    await rejected(query(ragged).compute({ scheduler: 'pool' }))
    expect(await readCsv(tripsPath).agg({ n: count() }).toRecords({ scheduler: 'pool' })).toEqual([{ n: 3n }])
  })

  test('a bad row inside the inference sample is reported by readCsv() itself', () => {
    const path = join(dir, 'early.csv')
    writeFileSync(path, 'a,b\n1,2\n3\n')
    const error = thrown(() => readCsv(path))
    expectCode(error, 'CSV_PARSE')
    expect(error.message).toContain(`${path} line 3: expected 2 fields but found 1`)
  })

  test('a missing file names the path and the working directory', () => {
    const error = thrown(() => readCsv(join(dir, 'nope.csv')))
    expectCode(error, 'IO')
    expect(error.message).toContain('nope.csv" does not exist')
    expect(error.message).toContain('Check the path')
  })
})

describe('bad arguments', () => {
  test.each([
    [
      'a dtype that does not exist',
      () => fromRecords([{ a: 1 }], { schema: { a: 'float32' as 'float64' } }),
      'float32',
    ],
    ['values of mixed types', () => fromRecords([{ a: 1 }, { a: 'x' }] as { a: number }[]), 'mixes int32 and utf8'],
    ['a value that does not fit the schema', () => fromRecords([{ a: 'x' }], { schema: { a: 'int32' } }), 'is int32'],
    ['a negative limit', () => fromRecords([{ a: 1 }]).limit(-1), 'non-negative integers'],
    ['an empty sort', () => fromRecords([{ a: 1 }]).sort([]), 'at least one column'],
    ['zero partitions', () => fromRecords([{ a: 1 }], { npartitions: 0 }), 'positive integer'],
    ['a zero blocksize', () => readCsv(tripsPath, { blocksize: 0 }), 'blocksize'],
  ])('%s', (_, build, text) => {
    const error = thrown(build)
    expect(error.message).toContain(text)
  })
})
