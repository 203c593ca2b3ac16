/** The real `tsdask` binary (dist/bundle/cli.cjs, what `npx tsdask` runs), as a child process on real files. */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { MAX_EXPRESSION_DEPTH, MAX_QUERY_NESTING } from '../../src/index.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const bin = path.join(root, 'dist', 'bundle', 'cli.cjs')
const dir = path.join(root, '.tmp', 'cli-test')
const run = promisify(execFile)

interface Result {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

async function tsdask(...args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: dir, timeout: 60_000 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number; stdout: string; stderr: string }
    return { code: e.code ?? -1, stdout: e.stdout, stderr: e.stderr }
  }
}

beforeAll(async () => {
  // `npm test` and `npm ci` build dist/ first; a bare `vitest run test/cli` may not have.
  if (!existsSync(bin)) await run('npm', ['run', 'build'], { cwd: root })
  mkdirSync(path.join(dir, 'parts'), { recursive: true })
  writeFileSync(
    path.join(dir, 'trips.csv'),
    'vendor,fare,tip,paid,note\nCMT,12.5,2,true,"a, b"\nVTS,8,,false,plain\nCMT,30,6,true,"say ""hi"""\nVTS,3000000000,1,,"two\nlines"\n',
  )
  writeFileSync(path.join(dir, 'parts', 'p1.csv'), 'k,v\na,1\nb,2\n')
  writeFileSync(path.join(dir, 'parts', 'p2.csv'), 'k,v\na,3\n')
  writeFileSync(path.join(dir, 'broken.csv'), 'k,v\na,"1\n')
}, 120_000)

describe('tsdask --version and --help', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
    expect(await tsdask('--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
  })

  it('--help documents every option', async () => {
    const { code, stdout } = await tsdask('--help')
    expect(code).toBe(0)
    for (const option of [
      '--table NAME=PATH',
      '--format',
      '--scheduler',
      '--workers',
      '--max-memory',
      '--explain',
      '--help',
      '--version',
    ]) {
      expect(stdout).toContain(option)
    }
  })
})

describe('tsdask sql', () => {
  it('prints a table by default, nothing on stderr when it is not a terminal', async () => {
    const r = await tsdask(
      'sql',
      'SELECT vendor, sum(tip) AS tips, count(*) AS n FROM trips GROUP BY vendor ORDER BY vendor',
      '--table',
      'trips=trips.csv',
    )
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: `┌────────┬───────┬───────┐
│ vendor │ tips  │ n     │
│ utf8   │ int64 │ int64 │
├────────┼───────┼───────┤
│ CMT    │     8 │     2 │
│ VTS    │     1 │     2 │
└────────┴───────┴───────┘
2 rows
`,
    })
  })

  it('--format csv: RFC 4180 quoting, nulls empty, booleans and numbers as JavaScript prints them', async () => {
    const r = await tsdask(
      'sql',
      'SELECT * FROM trips',
      '--table',
      'trips=trips.csv',
      '--format',
      'csv',
      '--scheduler',
      'sync',
    )
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(
      'vendor,fare,tip,paid,note\nCMT,12.5,2,true,"a, b"\nVTS,8,,false,plain\nCMT,30,6,true,"say ""hi"""\nVTS,3000000000,1,,"two\nlines"\n',
    )
  })

  it('--format json: an array of row objects', async () => {
    const r = await tsdask(
      'sql',
      'SELECT vendor, fare, tip FROM trips WHERE fare < 20',
      '--table',
      'trips=trips.csv',
      '--format',
      'json',
    )
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual([
      { vendor: 'CMT', fare: 12.5, tip: 2 },
      { vendor: 'VTS', fare: 8, tip: null },
    ])
  })

  it('reads a glob, on the pool with a chosen number of workers', async () => {
    const r = await tsdask(
      'sql',
      'SELECT k, sum(v) AS v FROM p GROUP BY k',
      '--table',
      'p=parts/*.csv',
      '--format',
      'csv',
      '--scheduler',
      'pool',
      '--workers',
      '1',
      '--max-memory',
      '256MB',
    )
    expect(r).toEqual({ code: 0, stdout: 'k,v\na,4\nb,2\n', stderr: '' })
  })

  it('several tables, WITH and a subquery', async () => {
    const r = await tsdask(
      'sql',
      'WITH big AS (SELECT * FROM trips WHERE fare > 10) SELECT count(*) AS n FROM (SELECT * FROM big) b',
      '--table',
      'trips=trips.csv',
      '--table',
      'p=parts/*.csv',
      '--format',
      'csv',
    )
    expect(r.stdout).toBe('n\n3\n')
  })

  it('--explain prints the plans and runs nothing', async () => {
    const r = await tsdask('sql', 'SELECT vendor FROM trips WHERE fare > 10', '--table', 'trips=trips.csv', '--explain')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('== Logical plan ==\nProject: vendor\n  Filter: fare > 10\n    Scan: trips.csv [*]')
    expect(r.stdout).toContain('== Optimized plan ==')
  })
})

describe('user errors exit with status 2 and a message, no stack trace', () => {
  const cases: [string, string[], RegExp][] = [
    [
      'a syntax error',
      ['sql', 'SELECT vendor FROM trips WHERE', '--table', 'trips=trips.csv'],
      /Syntax error in SQL query at line 1, column 31: expected an expression but found the end of the text[\s\S]*\n {2}SELECT vendor FROM trips WHERE\n {32}\^/,
    ],
    [
      'an unknown table',
      ['sql', 'SELECT * FROM trip', '--table', 'trips=trips.csv'],
      /Unknown table "trip".*Did you mean "trips"\?/,
    ],
    [
      'an unknown column',
      ['sql', 'SELECT fair FROM trips', '--table', 'trips=trips.csv'],
      /Unknown column "fair".*Did you mean "fare"/,
    ],
    [
      'a construct not supported yet',
      ['sql', 'SELECT * FROM trips JOIN trips t2 USING (vendor)', '--table', 'trips=trips.csv'],
      /JOIN is not supported yet/,
    ],
    ['a missing file', ['sql', 'SELECT * FROM t', '--table', 't=nope.csv'], /nope\.csv" does not exist/],
    ['bad data', ['sql', 'SELECT * FROM t', '--table', 't=broken.csv'], /broken\.csv/],
    ['an unknown option', ['sql', 'SELECT 1', '--tabel', 't=x.csv'], /Unknown option '--tabel'.*tsdask --help/],
    [
      'a bad --format',
      ['sql', 'SELECT * FROM t', '--table', 't=trips.csv', '--format', 'xml'],
      /--format xml: use one of table, csv, json/,
    ],
    [
      'a bad --scheduler',
      ['sql', 'SELECT * FROM t', '--table', 't=trips.csv', '--scheduler', 'fast'],
      /--scheduler fast: use one of sync, pool/,
    ],
    [
      'a bad --workers',
      ['sql', 'SELECT * FROM t', '--table', 't=trips.csv', '--workers', '0'],
      /--workers 0: use a whole number/,
    ],
    [
      'a bad --max-memory',
      ['sql', 'SELECT * FROM t', '--table', 't=trips.csv', '--max-memory', 'lots'],
      /--max-memory lots: use a size/,
    ],
    ['a bad --table', ['sql', 'SELECT * FROM t', '--table', 'trips.csv'], /--table trips\.csv: write NAME=PATH/],
    [
      'a format not read yet',
      ['sql', 'SELECT * FROM t', '--table', 't=data.parquet'],
      /\.parquet files are not supported yet/,
    ],
    ['no command', [], /no command given/],
    ['no query', ['sql'], /tsdask sql needs a query/],
    ['an unknown command', ['query', 'SELECT 1'], /unknown command "query"/],
  ]
  it.each(cases)('%s', async (_, args, message) => {
    const r = await tsdask(...args)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^tsdask: /)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('deep queries: refused with status 2 past the limits, answered at them (cold, in a fresh process)', () => {
  const parens = (n: number) => `${'('.repeat(n)}fare${')'.repeat(n)}`
  const chain = (n: number) => Array.from({ length: n }, () => 'tip').join(' + ')

  it('1000 nested parentheses: the limit, the position of the first parenthesis past it, how to fix', async () => {
    const r = await tsdask('sql', `SELECT ${parens(1000)} AS x FROM trips`, '--table', 'trips=trips.csv')
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    const column = 'SELECT '.length + MAX_QUERY_NESTING + 1
    expect(r.stderr).toMatch(new RegExp(`^tsdask: .*SQL query at line 1, column ${column}: `))
    expect(r.stderr).toContain(`more than ${MAX_QUERY_NESTING} levels`)
    expect(r.stderr).toMatch(/Simplify .* or split it/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it(`an operator chain ${MAX_EXPRESSION_DEPTH} levels deep is refused one level later`, async () => {
    const r = await tsdask(
      'sql',
      `SELECT ${chain(MAX_EXPRESSION_DEPTH + 1)} AS x FROM trips`,
      '--table',
      'trips=trips.csv',
    )
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`at most ${MAX_EXPRESSION_DEPTH} levels`)
  })

  it.each(['sync', 'pool'])('at the limits, the query runs on %s', async (scheduler) => {
    const query = `SELECT ${parens(MAX_QUERY_NESTING)} AS x, ${chain(MAX_EXPRESSION_DEPTH)} AS y FROM trips WHERE tip IS NOT NULL ORDER BY x`
    const r = await tsdask('sql', query, '--table', 'trips=trips.csv', '--format', 'csv', '--scheduler', scheduler)
    expect(r).toEqual({ code: 0, stderr: '', stdout: 'x,y\n12.5,2000\n30,6000\n3000000000,1000\n' })
  })
})
