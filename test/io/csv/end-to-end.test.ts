/**
 * readCsv end to end through the public API, as a demanding user: real files in a temp directory,
 * every query computed on both schedulers (sync and the default worker pool), answers compared
 * with what DuckDB / pandas return for the same file. A wrong answer, a hang or a raw TypeError is
 * a failure; an error is fine only when it says what, where and how to fix it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { type ComputeOptions, col, count, readCsv, shutdown, TsdaskError } from '../../../src/index.js'

const dir = mkdtempSync(join(tmpdir(), 'tsdask-e2e-csv-'))
afterAll(async () => {
  await shutdown()
  rmSync(dir, { recursive: true, force: true })
})

let fileCounter = 0
/** Writes a fresh file in the temp dir (or in `under`) and returns its path. */
function file(content: string | Uint8Array, name = `f${fileCounter++}.csv`, under = dir): string {
  const path = join(under, name)
  writeFileSync(path, content)
  return path
}

let dirCounter = 0
/** A fresh subdirectory holding the given files; returns it. */
function folder(files: Record<string, string>): string {
  const sub = join(dir, `d${dirCounter++}`)
  mkdirSync(sub)
  for (const [name, content] of Object.entries(files)) file(content, name, sub)
  return sub
}

type Rows = Record<string, unknown>[]
interface Computable {
  toRecords(options?: ComputeOptions): Promise<object[]>
}

/** Rows on the sync scheduler, checked equal to the pool's. */
async function both(df: Computable): Promise<Rows> {
  const sync = (await df.toRecords({ scheduler: 'sync' })) as Rows
  const pool = (await df.toRecords()) as Rows
  expect(pool).toEqual(sync)
  return sync
}

/** The error both schedulers raise (the same TsdaskError code and message). */
async function failure(df: Computable): Promise<TsdaskError> {
  const errors: unknown[] = []
  for (const scheduler of ['sync', 'pool'] as const) {
    try {
      await df.toRecords({ scheduler })
      errors.push(new Error(`no error on ${scheduler}`))
    } catch (error) {
      errors.push(error)
    }
  }
  const [sync, pool] = errors as [TsdaskError, TsdaskError]
  expect(sync).toBeInstanceOf(TsdaskError)
  expect(pool).toBeInstanceOf(TsdaskError)
  expect(pool.code).toBe(sync.code)
  expect(pool.message).toBe(sync.message)
  return sync
}

function thrown(fn: () => unknown): TsdaskError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(TsdaskError)
    return error as TsdaskError
  }
  throw new Error('expected an error')
}

/** The TsdaskError a rejected computation produced (given the caught value). */
function thrownAsync(value: unknown): TsdaskError {
  expect(value).toBeInstanceOf(TsdaskError)
  return value as TsdaskError
}

const utc = (...parts: [number, number, number, number?, number?, number?, number?]) => new Date(Date.UTC(...parts))

describe('file shapes', () => {
  test('an empty (0-byte) file reads as no columns and no rows', async () => {
    const df = readCsv(file(''))
    expect(df.columns).toEqual([])
    expect(await both(df)).toEqual([])
    expect(await both(df.head(3))).toEqual([])
  })

  test('a header-only file has its columns (utf8) and no rows', async () => {
    for (const content of ['a,b\n', 'a,b', 'a,b\r\n', '\uFEFFa,b\n\n\n']) {
      const df = readCsv(file(content))
      expect(df.schema).toEqual({ a: 'utf8', b: 'utf8' })
      expect(await both(df)).toEqual([])
      expect(await both(df.head(10))).toEqual([])
      expect(await both(df.agg({ n: count() }))).toEqual([{ n: 0n }])
      expect(await both(df.groupBy('a').agg({ n: count() }))).toEqual([])
      expect(await both(df.filter(col('a').eq('x')).sort('b'))).toEqual([])
    }
  })

  test('no trailing newline: the last record is kept, at every blocksize', async () => {
    const content = 'a,b\n1,x\n2,y\n3,"z\nz"'
    const path = file(content)
    const expected = [
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
      { a: 3, b: 'z\nz' },
    ]
    for (let blocksize = 1; blocksize <= content.length + 1; blocksize++) {
      expect(await readCsv(path, { blocksize }).toRecords({ scheduler: 'sync' })).toEqual(expected)
    }
    expect(await both(readCsv(path, { blocksize: 3 }))).toEqual(expected)
  })

  test('CRLF everywhere, quoted header, CRLF inside a quoted field, blank CRLF lines', async () => {
    const content = '"id","name",flag\r\n1,"x\r\ny",TRUE\r\n\r\n2,z,false\r\n3,"",False\r\n'
    const path = file(content)
    const expected = [
      { id: 1, name: 'x\r\ny', flag: true },
      { id: 2, name: 'z', flag: false },
      { id: 3, name: '', flag: false },
    ]
    expect(readCsv(path).schema).toEqual({ id: 'int32', name: 'utf8', flag: 'bool' })
    for (let blocksize = 1; blocksize <= content.length; blocksize++) {
      expect(await readCsv(path, { blocksize }).toRecords({ scheduler: 'sync' })).toEqual(expected)
    }
    expect(await both(readCsv(path, { blocksize: 5 }))).toEqual(expected)
  })

  test('a UTF-8 BOM is not part of the first column name or value', async () => {
    const withHeader = readCsv(file('\uFEFFa,b\n1,2\n'))
    expect(withHeader.columns).toEqual(['a', 'b'])
    expect(await both(withHeader.select('a'))).toEqual([{ a: 1 }])

    const quotedHeader = readCsv(file('\uFEFF"a b",c\r\n1,2\r\n'), { blocksize: 2 })
    expect(quotedHeader.columns).toEqual(['a b', 'c'])
    expect(await both(quotedHeader)).toEqual([{ 'a b': 1, c: 2 }])

    const noHeader = readCsv(file('\uFEFF1,2\n3,4\n'), { header: false })
    expect(noHeader.schema).toEqual({ column_0: 'int32', column_1: 'int32' })
    expect(await both(noHeader)).toEqual([
      { column_0: 1, column_1: 2 },
      { column_0: 3, column_1: 4 },
    ])
  })

  // DuckDB's rule (tokenize.ts, skipsBlankLines); each expectation is what DuckDB 1.5's read_csv
  // answers for the same bytes.
  test('a single column: an empty line is a null row, the final newline adds none; every blocksize', async () => {
    const cases: [string, (number | null)[]][] = [
      ['x\n1\n\n2\n3\n\n', [1, null, 2, 3, null]],
      ['x\n1\n2\n', [1, 2]],
      ['x\n1\n2', [1, 2]],
      ['x\n1\n2\n\n\n', [1, 2, null, null]],
      ['x\r\n1\r\n\r\n2\r\n\r\n', [1, null, 2, null]],
      ['x\r\n1\r\n\r', [1, null]],
      ['x\n\n', [null]],
      ['x\n\n1\n', [null, 1]],
      ['x\n', []],
      // Blank lines before the header are skipped.
      ['\n\nx\n1\n\n', [1, null]],
    ]
    for (const [content, want] of cases) {
      const path = file(content)
      for (let blocksize = 1; blocksize <= content.length + 1; blocksize++) {
        const got = (await readCsv(path, { blocksize, schema: { x: 'int32' } }).toRecords({
          scheduler: 'sync',
        })) as Rows
        expect([content, blocksize, got.map((r) => r.x)]).toEqual([content, blocksize, want])
      }
    }
    const path = file('x\n1\n\n2\n3\n\n')
    expect(readCsv(path).schema).toEqual({ x: 'int32' })
    expect(
      await both(readCsv(path, { blocksize: 2 }).agg({ s: col('x').sum(), n: count(), c: col('x').count() })),
    ).toEqual([{ s: 6n, n: 5n, c: 3n }])
    expect(await both(readCsv(path, { blocksize: 3 }).select())).toHaveLength(5)
  })

  test('a single column without a header: a leading empty line is a null row too', async () => {
    const path = file('\n1\n\n2\n')
    for (const blocksize of [1, 2, 3, Number.POSITIVE_INFINITY]) {
      expect(await both(readCsv(path, { header: false, blocksize, schema: { column_0: 'int32' } }))).toEqual([
        { column_0: null },
        { column_0: 1 },
        { column_0: null },
        { column_0: 2 },
      ])
    }
  })

  test('a single column whose empty field is no null (nullValues without ""): empty lines are skipped, as DuckDB does', async () => {
    const path = file('s\nx\n\ny\n\n')
    for (const blocksize of [1, 2, 3, Number.POSITIVE_INFINITY]) {
      expect(await both(readCsv(path, { nullValues: ['NA'], blocksize }))).toEqual([{ s: 'x' }, { s: 'y' }])
    }
  })

  test('several columns: blank lines are skipped wherever they are; every blocksize', async () => {
    const content = 'a,b\n\n1,x\n\n\n2,y\r\n\r\n3,\n\n'
    const path = file(content)
    for (let blocksize = 1; blocksize <= content.length + 1; blocksize++) {
      expect(await readCsv(path, { blocksize }).toRecords({ scheduler: 'sync' })).toEqual([
        { a: 1, b: 'x' },
        { a: 2, b: 'y' },
        { a: 3, b: null },
      ])
    }
  })

  test('blank lines before a header that holds a line break: no blocksize reads the header as data', async () => {
    const content = '\n\r\n"a\nx",b\n1,2\n\n3,4\n'
    const path = file(content)
    for (let blocksize = 1; blocksize <= content.length + 1; blocksize++) {
      const df = readCsv(path, { blocksize, schema: { 'a\nx': 'int32', b: 'int32' } })
      expect(await df.toRecords({ scheduler: 'sync' })).toEqual([
        { 'a\nx': 1, b: 2 },
        { 'a\nx': 3, b: 4 },
      ])
    }
  })

  test('quoted header names holding commas, quotes and line breaks', async () => {
    const path = file('"a,b","say ""hi""","multi\nline",plain\n1,2,3,4\n')
    const df = readCsv(path, { blocksize: 3 })
    expect(df.columns).toEqual(['a,b', 'say "hi"', 'multi\nline', 'plain'])
    expect(await both(df)).toEqual([{ 'a,b': 1, 'say "hi"': 2, 'multi\nline': 3, plain: 4 }])
    expect(await both(df.select('a,b').filter(col('a,b').eq(1)))).toEqual([{ 'a,b': 1 }])
  })

  // Row objects are plain {}: a column named __proto__ must still be an own property.
  test('a column named __proto__ keeps its values in row objects', async () => {
    const df = readCsv(file('__proto__,constructor,b\nx,y,1\n'))
    expect(df.columns).toEqual(['__proto__', 'constructor', 'b'])
    const [row] = await both(df)
    expect(Object.keys(row ?? {})).toEqual(['__proto__', 'constructor', 'b'])
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('x')
  })

  test('duplicate and empty header names become distinct columns holding the right values', async () => {
    const df = readCsv(file('a,a,a_1,,a\n1,2,3,4,5\n'))
    const names = df.columns
    expect(new Set(names).size).toBe(5)
    expect(names[0]).toBe('a')
    const rows = await both(df)
    expect(names.map((n) => rows[0]?.[n])).toEqual([1, 2, 3, 4, 5])
    expect(await both(df.select(names[1]!))).toEqual([{ [names[1]!]: 2 }])
  })

  test('multi-byte UTF-8 in quoted fields across chunk edges, every blocksize 1..200', async () => {
    const values = [
      'Zoë, "quoted"\n東京',
      'ÆØÅ',
      '😀😀,\r\n😀',
      'plain',
      'ñ'.repeat(40),
      '"',
      '\n\n',
      'a,b,c\nd,e,f',
      '',
      'ünï',
    ]
    const lines = values.map((v, i) => `${i},"${v.replaceAll('"', '""')}",${i % 2 === 0 ? 'é' : '中'}`)
    const content = `id,text,tag\n${lines.join('\n')}\n`
    const path = file(content)
    // Every value is quoted, so '' is the empty string, not a null.
    const expected = values.map((v, i) => ({ id: i, text: v, tag: i % 2 === 0 ? 'é' : '中' }))
    for (let blocksize = 1; blocksize <= 200; blocksize++) {
      const rows = await readCsv(path, { blocksize }).toRecords({ scheduler: 'sync' })
      expect(rows, `blocksize ${blocksize}`).toEqual(expected)
    }
    for (const blocksize of [1, 2, 3, 7, 13, 64, 200]) {
      expect(await readCsv(path, { blocksize }).toRecords()).toEqual(expected)
    }
    const sorted = await both(readCsv(path, { blocksize: 9 }).sort('tag').select('id', 'tag'))
    expect(sorted.map((r) => r.tag)).toEqual(['é', 'é', 'é', 'é', 'é', '中', '中', '中', '中', '中'])
  })

  test('a 1 MB quoted field (commas, line breaks, multi-byte) with small blocksizes', async () => {
    const unit = 'abc,déf\n"x"\r\n'
    const big = unit.repeat(Math.ceil(2 ** 20 / unit.length))
    const plain = 'z'.repeat(2 ** 20)
    const content = `k,v,w\n1,"${big.replaceAll('"', '""')}",after\n2,${plain},tail\n3,short,end\n`
    const path = file(content)
    const expected = [
      { k: 1, v: big, w: 'after' },
      { k: 2, v: plain, w: 'tail' },
      { k: 3, v: 'short', w: 'end' },
    ]
    // Small blocksizes inside a huge quoted field cost O(field² / blocksize) alignment work
    // (each edge re-scans to the field's end), so 4096 runs on one scheduler only.
    expect(await readCsv(path, { blocksize: 4096 }).toRecords({ scheduler: 'sync' })).toEqual(expected)
    expect(await both(readCsv(path, { blocksize: 65536 }))).toEqual(expected)
    expect(await both(readCsv(path, { blocksize: 16384 }).select('k', 'w').filter(col('k').gt(1)))).toEqual([
      { k: 2, w: 'tail' },
      { k: 3, w: 'end' },
    ])
  }, 180_000) // about 15 s alone; several times that on a loaded 2-core machine

  test('a blocksize larger than the file is one partition', async () => {
    const df = readCsv(file('a\n1\n2\n'), { blocksize: '1GB' })
    expect(df.npartitions).toBe(1)
    expect(await both(df)).toEqual([{ a: 1 }, { a: 2 }])
  })

  // blocksize: Infinity (one partition per file) is what the ambiguous-boundary error recommends.
  test('blocksize: Infinity reads each file as one chunk', async () => {
    const df = readCsv(file('a\n1\n'), { blocksize: Number.POSITIVE_INFINITY })
    expect(df.npartitions).toBe(1)
    expect(await both(df)).toEqual([{ a: 1 }])
  })

  test('an ambiguous chunk edge inside a quoted field is an error, never wrong rows', async () => {
    // The quoted field holds 10 lines that scan as valid 2-field records.
    const inner = Array.from({ length: 10 }, () => '1,2').join('\n')
    const path = file(`a,b\n1,"x\n${inner}\n"\n3,4\n`)
    // The sync scheduler reads chunks in order and reports the chunk that holds the field's start.
    const error = thrownAsync(
      await readCsv(path, { blocksize: 10 })
        .toRecords({ scheduler: 'sync' })
        .catch((e) => e),
    )
    expect(error.code).toBe('CSV_PARSE')
    expect(error.message).toContain(path)
    expect(error.message).toContain('blocksize')
    // The pool also fails (whichever chunk fails first), never with rows.
    const poolError = thrownAsync(
      await readCsv(path, { blocksize: 10 })
        .toRecords()
        .catch((e) => e),
    )
    expect(poolError.code).toBe('CSV_PARSE')
    // One chunk per file reads it right.
    expect(await both(readCsv(path, { blocksize: '1GB' }))).toEqual([
      { a: 1, b: `x\n${inner}\n` },
      { a: 3, b: '4' },
    ])
  })

  // A chunk after a misjudged edge must not blame the file's quoting (whose advice, quote: '', would read wrong data).
  test('on the pool, an ambiguous edge is always reported as one, not as malformed quoting', async () => {
    const inner = Array.from({ length: 10 }, () => '1,2').join('\n')
    const path = file(`a,b\n1,"x\n${inner}\n"\n3,4\n`)
    const df = readCsv(path, { blocksize: 10 })
    // Which chunk fails first on the pool is a race; ten runs see the later chunk's error.
    for (let attempt = 0; attempt < 10; attempt++) {
      const error = thrownAsync(await df.toRecords().catch((e) => e))
      expect(error.code).toBe('CSV_PARSE')
      expect(error.message).toContain('could not split the file into chunks')
      expect(error.message).not.toContain("pass quote: ''")
      expect(error.message).toContain('blocksize')
    }
  })

  // The fix the ambiguous-boundary error offers must work.
  test('the fix the ambiguous-boundary error offers works', async () => {
    const inner = Array.from({ length: 10 }, () => '1,2').join('\n')
    const path = file(`a,b\n1,"x\n${inner}\n"\n3,4\n`)
    const error = thrownAsync(
      await readCsv(path, { blocksize: 10 })
        .toRecords({ scheduler: 'sync' })
        .catch((e) => e),
    )
    expect(error.message).toContain('{ blocksize: Infinity }')
    expect(await both(readCsv(path, { blocksize: Number.POSITIVE_INFINITY }))).toHaveLength(2)
  })

  // CR-only (classic Mac) line endings are not read: that must be an error, never one long header record.
  test('old-Mac CR-only line endings are read (DuckDB) or rejected, never 0 rows', async () => {
    const path = file('a,b\r1,2\r3,4\r')
    let error: unknown = null
    let rows: Rows | null = null
    try {
      rows = await both(readCsv(path))
    } catch (e) {
      error = e
    }
    // DuckDB reads \r-terminated files: [{a:1,b:2},{a:3,b:4}]. Either that, or a clear error.
    if (rows !== null) {
      expect(rows).toEqual([
        { a: 1, b: 2 },
        { a: 3, b: 4 },
      ])
    } else {
      expect(error).toBeInstanceOf(TsdaskError)
      expect((error as Error).message).toContain(path)
    }
  })
})

describe('numbers', () => {
  test('float syntax: exponents, leading +, .5, 5., -0, overflow, NaN, inf', async () => {
    const cells = ['1e3', '+5', '.5', '5.', '-0', '1e400', '-1e400', '1e-400', 'NaN', 'inf', '-Infinity', '1E-2', '0.1']
    const cells2 = [...cells.slice(0, 12), '0.1000000000000000055511151231257827']
    const path = file(`v,w\n${cells.map((c, i) => `${c},${cells2[i]}`).join('\n')}\n`)
    const df = readCsv(path, { blocksize: 8 })
    expect(df.schema).toEqual({ v: 'float64', w: 'float64' })
    const rows = await both(df)
    const expected = cells.map(Number)
    expected[9] = Number.POSITIVE_INFINITY
    expect(rows.map((r) => r.v)).toEqual(expected)
    expect(Object.is(rows[4]?.v, -0)).toBe(true)
    expect(Object.is(rows[7]?.v, 0)).toBe(true)
    expect(rows[12]?.w).toBe(0.1)
    // SQL-style float semantics in a filter: NaN is not > 1, inf is.
    const big = await both(df.filter(col('v').gt(1)).select('v'))
    // NaN sorts and compares after every number, as in DuckDB ('NaN'::DOUBLE > 1 is true).
    expect(big.map((r) => r.v)).toEqual([1000, 5, 5, Number.POSITIVE_INFINITY, Number.NaN, Number.POSITIVE_INFINITY])
  })

  test('int32 limits stay int32; one past widens to int64', async () => {
    const fits = readCsv(file('v\n2147483647\n-2147483648\n+7\n007\n-0\n 12 \n'))
    expect(fits.schema).toEqual({ v: 'int32' })
    expect((await both(fits)).map((r) => r.v)).toEqual([2147483647, -2147483648, 7, 7, 0, 12])

    const past = readCsv(file('v\n2147483648\n-2147483649\n1\n'))
    expect(past.schema).toEqual({ v: 'int64' })
    expect((await both(past)).map((r) => r.v)).toEqual([2147483648n, -2147483649n, 1n])
  })

  test('int64 limits stay int64 exactly; one past widens to float64', async () => {
    const fits = readCsv(file('v\n9223372036854775807\n-9223372036854775808\n+9223372036854775807\n-5000000000\n'))
    expect(fits.schema).toEqual({ v: 'int64' })
    expect((await both(fits)).map((r) => r.v)).toEqual([
      9223372036854775807n,
      -9223372036854775808n,
      9223372036854775807n,
      -5000000000n,
    ])
    expect(await both(fits.agg({ lo: col('v').min(), hi: col('v').max() }))).toEqual([
      { lo: -9223372036854775808n, hi: 9223372036854775807n },
    ])

    const past = readCsv(file('v\n9223372036854775808\n-9223372036854775809\n'))
    expect(past.schema).toEqual({ v: 'float64' })
    expect((await both(past)).map((r) => r.v)).toEqual([2 ** 63, -(2 ** 63)])
  })

  test('things that look numeric but are not stay strings', async () => {
    const df = readCsv(file('v\n1_000\n0x10\n"1,000"\n12abc\n'))
    expect(df.schema).toEqual({ v: 'utf8' })
    expect((await both(df)).map((r) => r.v)).toEqual(['1_000', '0x10', '1,000', '12abc'])
  })

  test('null spellings in a numeric column are opt-in', async () => {
    // The empty line is a null row (one column, as in DuckDB); a quoted "" is a value unless allowQuotedNulls.
    const content = 'v\n1\nNA\n\nnull\nN/A\nNULL\n""\n5\n'
    expect(readCsv(file(content)).schema).toEqual({ v: 'utf8' })
    const nullValues = ['', 'NA', 'null', 'N/A', 'NULL']
    expect(readCsv(file(content), { nullValues }).schema).toEqual({ v: 'utf8' })
    const df = readCsv(file(content), { nullValues, allowQuotedNulls: true })
    expect(df.schema).toEqual({ v: 'int32' })
    expect((await both(df)).map((r) => r.v)).toEqual([1, null, null, null, null, null, null, 5])
    expect(await both(df.agg({ n: count(), nonNull: col('v').count(), s: col('v').sum() }))).toEqual([
      { n: 8n, nonNull: 2n, s: 6n },
    ])
  })

  test('a country code NA is a value; an empty unquoted field is null', async () => {
    const df = readCsv(file('country,visits\nNO,3\nNA,5\n"",2\n,1\n'))
    expect(df.schema).toEqual({ country: 'utf8', visits: 'int32' })
    expect(await both(df)).toEqual([
      { country: 'NO', visits: 3 },
      { country: 'NA', visits: 5 },
      { country: '', visits: 2 },
      { country: null, visits: 1 },
    ])
    expect(await both(df.filter(col('country').eq('NA')).select('visits'))).toEqual([{ visits: 5 }])
  })

  test('a quoted "" in a numeric column says how to read it as null', async () => {
    const path = file('v\n1\n""\n')
    await expect(readCsv(path, { schema: { v: 'int32' } }).toRecords({ scheduler: 'sync' })).rejects.toThrow(
      /line 3, column "v" \(1st\): cannot read the quoted value "" as int32: a quoted field is a value, never null, unless asked\. Pass allowQuotedNulls: true/,
    )
    const rows = await readCsv(path, { schema: { v: 'int32' }, allowQuotedNulls: true }).toRecords({
      scheduler: 'sync',
    })
    expect(rows).toEqual([{ v: 1 }, { v: null }])
  })
})

describe('dates, timestamps, booleans', () => {
  test('dates (incl. leap day and before 1970)', async () => {
    const df = readCsv(file('d,bad\n2024-02-29,2023-02-29\n1969-12-31,2023-01-01\n2000-01-01,x\n'))
    expect(df.schema).toEqual({ d: 'date32', bad: 'utf8' })
    expect(await both(df)).toEqual([
      { d: utc(2024, 1, 29), bad: '2023-02-29' },
      { d: utc(1969, 11, 31), bad: '2023-01-01' },
      { d: utc(2000, 0, 1), bad: 'x' },
    ])
    expect(await both(df.sort('d').select('d'))).toEqual([
      { d: utc(1969, 11, 31) },
      { d: utc(2000, 0, 1) },
      { d: utc(2024, 1, 29) },
    ])
  })

  test('timestamps with and without zones (no zone = UTC), fractions, mixed with dates', async () => {
    const cells = [
      '2024-01-01T00:00:00Z',
      '2024-01-01 12:30',
      '2024-01-01T00:00:00+02:00',
      '2024-01-01T00:00:00.123456-0130',
      '1969-12-31T23:59:59.5Z',
      '2024-03-10',
      '2024-01-01T05:00:00-05',
    ]
    const df = readCsv(file(`t\n${cells.join('\n')}\n`), { blocksize: 16 })
    expect(df.schema).toEqual({ t: 'timestamp[ms]' })
    expect((await both(df)).map((r) => r.t)).toEqual([
      utc(2024, 0, 1),
      utc(2024, 0, 1, 12, 30),
      utc(2023, 11, 31, 22),
      utc(2024, 0, 1, 1, 30, 0, 123),
      new Date(-500),
      utc(2024, 2, 10),
      utc(2024, 0, 1, 10),
    ])
  })

  test('booleans in any case, with nulls', async () => {
    const df = readCsv(file('b,n\nTRUE,1\nFalse,2\ntrue,3\n,4\nFALSE,5\n'), { blocksize: 6 })
    expect(df.schema).toEqual({ b: 'bool', n: 'int32' })
    expect((await both(df)).map((r) => r.b)).toEqual([true, false, true, null, false])
    expect(await both(df.filter(col('b')).select('n'))).toEqual([{ n: 1 }, { n: 3 }])
    expect(await both(df.groupBy('b').agg({ n: count() }))).toEqual([
      { b: false, n: 2n },
      { b: true, n: 2n },
      { b: null, n: 1n },
    ])
  })
})

describe('nullValues and dialects', () => {
  test('custom nullValues replace the defaults', async () => {
    const df = readCsv(file('s,i\n-,1\nNA,-\n,3\nn/a,4\n'), { nullValues: ['-', 'n/a'] })
    expect(df.schema).toEqual({ s: 'utf8', i: 'int32' })
    expect(await both(df)).toEqual([
      { s: null, i: 1 },
      { s: 'NA', i: null },
      { s: '', i: 3 },
      { s: null, i: 4 },
    ])
  })

  test('nullValues: [] reads every field as a value', async () => {
    const df = readCsv(file('s,i,j\n,1,\nNA,2,3\n"",3,4\n'), { nullValues: [] })
    expect(df.schema).toEqual({ s: 'utf8', i: 'int32', j: 'utf8' })
    expect(await both(df)).toEqual([
      { s: '', i: 1, j: '' },
      { s: 'NA', i: 2, j: '3' },
      { s: '', i: 3, j: '4' },
    ])
  })

  test('tab delimiter', async () => {
    const df = readCsv(file('a\tb c\n1\tx, y\n2\t"q\tr"\n'), { delimiter: '\t', blocksize: 4 })
    expect(df.schema).toEqual({ a: 'int32', 'b c': 'utf8' })
    expect(await both(df)).toEqual([
      { a: 1, 'b c': 'x, y' },
      { a: 2, 'b c': 'q\tr' },
    ])
  })

  test("quote: '' reads quote characters literally", async () => {
    const df = readCsv(file('a,b\n"x",1\nsay "hi",2\n"",3\n'), { quote: '', blocksize: 3 })
    expect(await both(df)).toEqual([
      { a: '"x"', b: 1 },
      { a: 'say "hi"', b: 2 },
      { a: '""', b: 3 },
    ])
  })

  test('single-quote quoting and semicolon delimiter', async () => {
    const df = readCsv(file("a;b\n'x;y';1\n'it''s';2\n"), { delimiter: ';', quote: "'" })
    expect(await both(df)).toEqual([
      { a: 'x;y', b: 1 },
      { a: "it's", b: 2 },
    ])
  })

  test('header: false names columns positionally and reads the first line as data', async () => {
    const df = readCsv(file('1,a\n2,b\n'), { header: false, blocksize: 2 })
    expect(df.schema).toEqual({ column_0: 'int32', column_1: 'utf8' })
    expect(await both(df)).toEqual([
      { column_0: 1, column_1: 'a' },
      { column_0: 2, column_1: 'b' },
    ])
  })

  test('bad options fail when the frame is built, with a fix', () => {
    const path = file('a,b\n1,2\n')
    expect(thrown(() => readCsv(path, { delimiter: '\\t' })).message).toContain("delimiter: '\\t'")
    expect(thrown(() => readCsv(path, { delimiter: ',', quote: ',' })).code).toBe('INVALID_ARGUMENT')
    expect(thrown(() => readCsv(path, { blocksize: 0 })).code).toBe('INVALID_ARGUMENT')
    expect(thrown(() => readCsv(join(dir, 'missing.csv'))).code).toBe('IO')
    expect(thrown(() => readCsv(join(dir, 'nothing-*.csv'))).code).toBe('IO')
    const unknown = thrown(() => readCsv(path, { schema: { aa: 'int32' } }))
    expect(unknown.code).toBe('UNKNOWN_COLUMN')
    expect(unknown.message).toContain('"a"')
  })
})

describe('globs', () => {
  test('several files with the same header, in file order, with head / filter / groupBy / sort', async () => {
    const sub = folder({
      'p1.csv': 'id,g,v\n1,x,1.5\n2,y,2.5\n',
      'p2.csv': 'id,g,v\n3,x,\n4,z,4\n',
      'p3.csv': 'id,g,v\r\n5,y,5\r\n6,x,6',
    })
    const df = readCsv(join(sub, '*.csv'), { blocksize: 7 })
    expect(df.schema).toEqual({ id: 'int32', g: 'utf8', v: 'float64' })
    expect((await both(df)).map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6])
    expect((await both(df.head(3))).map((r) => r.id)).toEqual([1, 2, 3])
    expect((await both(df.head(5))).map((r) => r.id)).toEqual([1, 2, 3, 4, 5])
    expect((await both(df.head(100))).map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6])
    expect(await both(df.head(0))).toEqual([])
    expect((await both(df.filter(col('g').eq('x')).head(2))).map((r) => r.id)).toEqual([1, 3])
    expect(await both(df.groupBy('g').agg({ n: count(), s: col('v').sum() }))).toEqual([
      { g: 'x', n: 3n, s: 7.5 },
      { g: 'y', n: 2n, s: 7.5 },
      { g: 'z', n: 1n, s: 4 },
    ])
    expect((await both(df.sort('v', { descending: true }))).map((r) => r.id)).toEqual([6, 5, 4, 2, 1, 3])
  })

  test('header-only files among non-empty ones contribute no rows', async () => {
    const sub = folder({
      'a.csv': 'k,n\n',
      'b.csv': 'k,n\nx,1\n',
      'c.csv': 'k,n',
      'd.csv': 'k,n\ny,2\nx,3\n',
      'e.csv': 'k,n\r\n',
      'f.csv': 'k,n\n',
      'g.csv': 'k,n\n',
      'h.csv': 'k,n\nz,4\n',
    })
    const df = readCsv(join(sub, '*.csv'), { blocksize: 3 })
    expect(df.schema).toEqual({ k: 'utf8', n: 'int32' })
    expect(await both(df)).toEqual([
      { k: 'x', n: 1 },
      { k: 'y', n: 2 },
      { k: 'x', n: 3 },
      { k: 'z', n: 4 },
    ])
    expect(await both(df.head(3))).toEqual([
      { k: 'x', n: 1 },
      { k: 'y', n: 2 },
      { k: 'x', n: 3 },
    ])
    // Groups come out by key, and sort is stable: x before z among equal sums.
    expect(
      await both(
        df
          .groupBy('k')
          .agg({ s: col('n').sum() })
          .sort('s'),
      ),
    ).toEqual([
      { k: 'y', s: 2n },
      { k: 'x', s: 4n },
      { k: 'z', s: 4n },
    ])
  })

  test('a 0-byte file among non-empty ones contributes no rows (later in the glob)', async () => {
    const sub = folder({ 'a.csv': 'k,n\nx,1\n', 'b.csv': '', 'c.csv': 'k,n\ny,2\n' })
    expect(await both(readCsv(join(sub, '*.csv'), { blocksize: 2 }))).toEqual([
      { k: 'x', n: 1 },
      { k: 'y', n: 2 },
    ])
  })

  // A 0-byte file first in a glob says nothing about the columns: the header comes from the first file that has one.
  test('a 0-byte file first in the glob contributes no rows', async () => {
    const sub = folder({ 'a.csv': '', 'b.csv': 'k,n\nx,1\n', 'c.csv': 'k,n\ny,2\n' })
    expect(await both(readCsv(join(sub, '*.csv')))).toEqual([
      { k: 'x', n: 1 },
      { k: 'y', n: 2 },
    ])
  })

  test('a file whose header differs (names, not count) is an error naming that file', async () => {
    const sub = folder({ 'a.csv': 'a,b\n1,2\n', 'b.csv': 'b,a\n3,4\n' })
    const error = thrown(() => readCsv(join(sub, '*.csv')))
    expect(error.code).toBe('CSV_PARSE')
    expect(error.message).toContain(join(sub, 'b.csv'))
  })

  test('a file whose header has another field count is an error naming that file', async () => {
    const sub = folder({ 'a.csv': 'a,b\n1,2\n', 'b.csv': 'a,b,c\n3,4,5\n' })
    const error = thrown(() => readCsv(join(sub, '*.csv')))
    expect(error.code).toBe('CSV_PARSE')
    expect(error.message).toContain(join(sub, 'b.csv'))
  })

  test('the 6th+ file (beyond inference sampling) with a different field count fails clearly', async () => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 6; i++) files[`p${i}.csv`] = 'a,b\n1,2\n'
    files['p6.csv'] = 'a,b,c\n3,4,5\n'
    const sub = folder(files)
    const error = await failure(readCsv(join(sub, '*.csv')))
    expect(error.code).toBe('CSV_PARSE')
    expect(error.message).toContain(join(sub, 'p6.csv'))
  })

  // Inference samples only the first files of a glob; every later file's header names are checked when it is read.
  test('the 6th+ file with the same columns in another order is never read positionally', async () => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 6; i++) files[`p${i}.csv`] = 'a,b\n1,2\n'
    files['p6.csv'] = 'b,a\n20,10\n'
    const sub = folder(files)
    const df = readCsv(join(sub, '*.csv'))
    // Either columns matched by name (DuckDB union_by_name) or a clear error; never a=20, b=10.
    let rows: Rows | null = null
    try {
      rows = await both(df)
    } catch (error) {
      expect(error).toBeInstanceOf(TsdaskError)
      expect((error as Error).message).toContain('p6.csv')
      return
    }
    expect(rows?.at(-1)).toEqual({ a: 10, b: 20 })
  })
})

describe('a value sampling did not see', () => {
  // 2 000 int rows (≈ 10 KB) before the odd value; sampleBytes keeps the sample to the first 1 KB.
  const head = Array.from({ length: 2000 }, (_, i) => `${i},${i % 3 === 0}`).join('\n')
  const withLater = (later: string) => file(`v,b\n${head}\n${later}\n`)

  test('an int32 column holding a float later: a predicate on it fails suggesting float64', async () => {
    const path = withLater('1.5,true')
    const df = readCsv(path, { sampleBytes: 1024, blocksize: 4096 })
    expect(df.schema).toEqual({ v: 'int32', b: 'bool' })
    const error = await failure(df.filter(col('v').gt(10)).agg({ n: count() }))
    expect(error.code).toBe('CSV_VALUE')
    expect(error.message).toContain(path)
    expect(error.message).toContain('line 2002')
    expect(error.message).toContain('"v"')
    expect(error.message).toContain('"1.5"')
    expect(error.message).toContain("schema: { v: 'float64' }")
    // With the suggested schema the same query is right.
    const fixed = readCsv(path, { sampleBytes: 1024, blocksize: 4096, schema: { v: 'float64' } })
    expect(await both(fixed.filter(col('v').gt(10)).agg({ n: count() }))).toEqual([{ n: 1989n }])
  })

  test('int32 then a value past int32 suggests int64; bool then a word suggests utf8', async () => {
    const wide = await failure(readCsv(withLater('3000000000,true'), { sampleBytes: 1024 }).select('v'))
    expect(wide.message).toContain("schema: { v: 'int64' }")
    const word = await failure(readCsv(withLater('1,maybe'), { sampleBytes: 1024 }).select('b'))
    expect(word.message).toContain("schema: { b: 'utf8' }")
    expect(word.message).toContain('line 2002')
  })

  test('date32 then a timestamp suggests timestamp[ms]', async () => {
    const days = Array.from({ length: 200 }, () => '2024-01-01').join('\n')
    const path = file(`d\n${days}\n2024-01-02T10:00:00Z\n`)
    const error = await failure(readCsv(path, { sampleBytes: 1024 }))
    expect(error.code).toBe('CSV_VALUE')
    expect(error.message).toContain("schema: { d: 'timestamp[ms]' }")
  })

  // Column pruning is what leaves the column unparsed, so this needs the optimizer on.
  test.skipIf(process.env.TSDASK_OPTIMIZER === 'off')(
    'an unrequested column is never parsed, so its odd value does not matter',
    async () => {
      const df = readCsv(withLater('1.5,true'), { sampleBytes: 1024, blocksize: 4096 })
      expect(await both(df.filter(col('b')).agg({ n: count() }))).toEqual([{ n: 668n }])
    },
  )
})

describe('malformed files fail with file, line and fix', () => {
  const body = Array.from({ length: 2000 }, (_, i) => `${i},v${i}`).join('\n')

  test('a ragged row past the sample fails at compute with its line, on both schedulers', async () => {
    const path = file(`a,b\n${body}\n1,2,3\n4,5\n`)
    const df = readCsv(path, { sampleBytes: 1024, blocksize: 4096 })
    const error = await failure(df.agg({ n: count() }))
    expect(error.code).toBe('CSV_PARSE')
    expect(error.message).toContain(`${path} line 2002: expected 2 fields but found 3`)
    // head() that stops before the bad row does not need to see it (pandas nrows).
    expect(await both(df.head(2))).toEqual([
      { a: 0, b: 'v0' },
      { a: 1, b: 'v1' },
    ])
  })

  test('an unterminated quote past the sample fails at compute with its line', async () => {
    const path = file(`a,b\n${body}\n5,"oops\n6,x\n`)
    const error = await failure(readCsv(path, { sampleBytes: 1024, blocksize: 4096 }))
    expect(error.code).toBe('CSV_PARSE')
    expect(error.message).toContain(`${path} line 2002`)
    expect(error.message).toContain('never closed')
  })

  // Text that is not UTF-8 is an error naming file, line and column (pandas and DuckDB refuse it too), never silently altered.
  test('a non-UTF-8 (Latin-1) file is an error, not silently altered text', async () => {
    const path = file(Buffer.from('a,b\ncaf\xe9,1\n', 'latin1'))
    let rows: Rows | null = null
    try {
      rows = await both(readCsv(path))
    } catch (error) {
      expect(error).toBeInstanceOf(TsdaskError)
      expect((error as Error).message).toContain(path)
      return
    }
    expect(rows).toEqual([{ a: 'caf\xe9', b: 1 }])
  })

  test('ragged row after a multi-line quoted field, CRLF: physical line number', async () => {
    const path = file('a,b\r\n1,"x\r\ny"\r\n2,3,4\r\n')
    // Inference samples the whole (small) file, so readCsv itself raises it.
    const error = thrown(() => readCsv(path, { blocksize: 4 }))
    expect(error.code).toBe('CSV_PARSE')
    expect(error.message).toContain(`${path} line 4`)
    expect(error.message).toContain('expected 2 fields but found 3')
  })

  test('unterminated quote at the end of the file', async () => {
    const path = file('a,b\n1,2\n3,"oops\n')
    const error = thrown(() => readCsv(path, { schema: { a: 'int32', b: 'utf8' } }))
    expect(error.code).toBe('CSV_PARSE')
    expect(error.message).toContain('never closed')
    expect(error.message).toContain(`${path} line 3`)
  })

  test('a schema override that does not fit the text is a CSV_VALUE with the line', async () => {
    const path = file('a,b\n1,x\n2,y\n')
    const error = await failure(readCsv(path, { schema: { b: 'int32' } }))
    expect(error.code).toBe('CSV_VALUE')
    expect(error.message).toContain(`${path} line 2`)
    expect(error.message).toContain("schema: { b: 'utf8' }")
  })
})
