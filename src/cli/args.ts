/**
 * The command line, parsed and validated before anything runs: every mistake is a `UsageError`
 * (exit status 2) that says which option is wrong and what it accepts.
 */
import { parseArgs } from 'node:util'
import { parseSize } from '../index.js'

export const FORMATS = ['table', 'csv', 'json'] as const
export type OutputFormat = (typeof FORMATS)[number]

export interface TableArg {
  readonly name: string
  readonly path: string
}

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'sql'
      readonly query: string
      readonly tables: readonly TableArg[]
      readonly format: OutputFormat
      readonly scheduler: 'sync' | 'pool' | undefined
      readonly workers: number | undefined
      /** Bytes; validated, and passed on once the scheduler bounds memory (see --help). */
      readonly maxMemory: number | undefined
      readonly explain: boolean
    }

export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export const HELP = `tsdask: lazy, partitioned dataframes over Apache Arrow

Usage:
  tsdask sql "<query>" --table NAME=PATH [--table NAME=PATH ...] [options]
  tsdask --help | --version

Runs a SQL query over CSV files and prints the result.

Options:
  --table NAME=PATH    A table the query can read: PATH is a CSV file or a glob (data/*.csv).
                       Repeat for several tables. Types are inferred by sampling the files.
                       Only an empty unquoted field is null; NA, null and quoted fields are values.
  --format FORMAT      table (default): an aligned text table;
                       csv: RFC 4180 with a header row; numbers as JavaScript prints them,
                         booleans true/false, nulls as empty fields, strings quoted only when they
                         hold a comma, a quote or a line break; lines end with \\n;
                       json: an array of row objects (int64 as JSON numbers, dates as ISO strings).
  --scheduler NAME     pool (default): worker threads, one per core; sync: this thread only.
  --workers N          Worker threads for the pool (a whole number >= 1).
  --max-memory SIZE    Memory budget for the partitions the scheduler holds and has in flight,
                       e.g. 512MB, 2GiB (default: a quarter of physical memory).
  --explain            Print the logical, optimized and physical plans instead of running the query.
  --help               Show this help.
  --version            Print the version.

Exit status: 0 on success, 2 for a user error (bad option, syntax error, unknown table or column,
unreadable file, bad data), 1 for an internal error. A progress bar is drawn on stderr when stderr
is a terminal.

Example:
  tsdask sql "SELECT vendor, avg(fare) AS fare FROM trips GROUP BY vendor" --table trips=data/trips-*.csv
`

export function parseCommand(argv: readonly string[]): Command {
  let parsed: ReturnType<typeof parseOptions>
  try {
    parsed = parseOptions(argv)
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. Run tsdask --help for the options.`)
  }
  const { values, positionals } = parsed
  if (values.help) return { kind: 'help' }
  if (values.version) return { kind: 'version' }
  const [command, query, ...rest] = positionals
  if (command === undefined) throw new UsageError('no command given. Usage: tsdask sql "<query>" --table NAME=PATH')
  if (command !== 'sql') throw new UsageError(`unknown command "${command}"; the command is sql. Run tsdask --help.`)
  if (query === undefined || query.trim() === '') {
    throw new UsageError('tsdask sql needs a query: tsdask sql "SELECT * FROM t" --table t=data.csv')
  }
  if (rest.length > 0) {
    throw new UsageError(`unexpected argument "${rest[0]}"; put the whole query in one quoted argument.`)
  }
  return {
    kind: 'sql',
    query,
    tables: (values.table ?? []).map(tableArg),
    format: choice('--format', values.format ?? 'table', FORMATS),
    scheduler:
      values.scheduler === undefined ? undefined : choice('--scheduler', values.scheduler, ['sync', 'pool'] as const),
    workers: values.workers === undefined ? undefined : workers(values.workers),
    maxMemory: values['max-memory'] === undefined ? undefined : memory(values['max-memory']),
    explain: values.explain ?? false,
  }
}

function parseOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      table: { type: 'string', multiple: true },
      format: { type: 'string' },
      scheduler: { type: 'string' },
      workers: { type: 'string' },
      'max-memory': { type: 'string' },
      explain: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  })
}

function tableArg(text: string): TableArg {
  const eq = text.indexOf('=')
  const name = text.slice(0, eq)
  const path = text.slice(eq + 1)
  if (eq <= 0 || path === '') {
    throw new UsageError(`--table ${text}: write NAME=PATH, e.g. --table trips=data/trips.csv`)
  }
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase()
  if (ext !== undefined && ext !== 'csv') {
    throw new UsageError(
      `--table ${text}: .${ext} files are not supported yet; only CSV (.csv) is read in this release.`,
    )
  }
  return { name, path }
}

function choice<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new UsageError(`${option} ${value}: use one of ${allowed.join(', ')}.`)
}

function workers(text: string): number {
  const n = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`--workers ${text}: use a whole number of worker threads, 1 or more.`)
  }
  return n
}

function memory(text: string): number {
  try {
    const bytes = parseSize(text)
    if (bytes === 0 || !Number.isFinite(bytes)) throw new Error('not positive')
    return bytes
  } catch {
    throw new UsageError(`--max-memory ${text}: use a size such as 512MB, 2GB or 1.5GiB.`)
  }
}
