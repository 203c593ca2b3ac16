/**
 * The real command line as a child process: `node dist/cli/main.js sql <query> --table t=t.csv
 * --format csv`. The CLI infers column types by sampling (no schema option), so a CLI case first
 * asks tsdask's own inference what the file's types are and gives DuckDB the table as read with
 * them; its output is parsed back with the result types tsdask's planner reports for the query.
 *
 * `--format csv` prints null and the empty string alike (an empty field), so CLI comparisons treat
 * them as equal in text columns.
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DType } from '../../src/index.js'
import { inferCsvSchema } from '../../src/io/csv/infer.js'
import { parseDate32, parseFloat64, parseInteger, parseTimestampMs } from '../../src/kernels/parse-format.js'
import { isInteger, type Outcome, type Value } from './result.js'
import type { Cell, Table } from './tables.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
export const CLI_BIN = path.join(root, 'dist', 'cli', 'main.js')
const MS_PER_DAY = 86_400_000

/**
 * The table as the CLI reads `file` (its inferred dtypes, the written text parsed by them). A
 * column whose values do not all parse as the inferred type (inference took 'NULL' for a null:
 * bug (b) of issue 13) keeps its text, so the CLI's answer disagrees, as it should.
 */
export function asInferred(table: Table, file: string): Table {
  const { schema } = inferCsvSchema([file])
  const inferred = table.columns.map((c, i) => {
    const dtype = schema[i]!.dtype
    try {
      return { column: { ...c, dtype }, values: table.rows.map((row) => convert(row[i]!, dtype)) }
    } catch {
      return { column: c, values: table.rows.map((row) => row[i]!) }
    }
  })
  const rows = table.rows.map((_, r) => inferred.map((col) => col.values[r]!))
  return { ...table, columns: inferred.map((col) => col.column), rows }
}

function convert(v: Cell, to: DType): Cell {
  if (v === null || typeof v !== 'string') {
    // Only int64 narrows (small values infer int32); every other non-text column keeps its type.
    return to === 'int32' && typeof v === 'bigint' ? Number(v) : v
  }
  const fail = () => {
    throw new Error(`inferred ${to} for a column holding ${JSON.stringify(v)}`)
  }
  switch (to) {
    case 'utf8':
      return v
    case 'bool':
      return v.toLowerCase() === 'true' ? true : v.toLowerCase() === 'false' ? false : fail()
    case 'int32':
      return Number(parseInteger(v) ?? fail())
    case 'int64':
      return parseInteger(v) ?? fail()
    case 'float64':
      return parseFloat64(v) ?? fail()
    case 'date32':
      return new Date((parseDate32(v) ?? fail()) * MS_PER_DAY)
    case 'timestamp[ms]':
      return new Date(Number(parseTimestampMs(v) ?? fail()))
  }
}

export interface CliRun {
  readonly scheduler: 'sync' | 'pool'
}

/** Runs the CLI; `types` are the result dtypes to read its CSV output with. */
export function runCli(
  query: string,
  files: readonly { readonly name: string; readonly file: string }[],
  types: readonly DType[],
  run: CliRun,
): Promise<Outcome & { readonly exitCode: number }> {
  const args = [CLI_BIN, 'sql', query, '--format', 'csv', '--scheduler', run.scheduler]
  for (const f of files) args.push('--table', `${f.name}=${f.file}`)
  return new Promise((resolve) => {
    execFile(process.execPath, args, { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const exitCode = error ? ((error as { code?: number }).code ?? -1) : 0
      if (error) {
        // Exit 2 is a user error; anything else (1: internal, 134: a V8 abort…) is a bug.
        const signal = (error as { signal?: string }).signal
        resolve({
          ok: false,
          exitCode,
          internal: exitCode !== 2,
          message: `exit ${exitCode}${signal ? ` (${signal})` : ''}: ${stderr.trim().slice(0, 2000)}`,
        })
        return
      }
      try {
        resolve({ ok: true, exitCode, result: parseCsvOutput(stdout, types) })
      } catch (e) {
        resolve({ ok: false, exitCode, internal: true, message: `unreadable CLI output: ${(e as Error).message}` })
      }
    })
  })
}

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      record.push(field)
      field = ''
    } else if (ch === '\n') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
    } else field += ch
  }
  if (field !== '' || record.length > 0) {
    record.push(field)
    records.push(record)
  }
  return records
}

function parseCsvOutput(stdout: string, types: readonly DType[]): { names: string[]; types: DType[]; rows: Value[][] } {
  const [header, ...records] = parseCsvRecords(stdout)
  if (!header) throw new Error('no header line')
  if (header.length !== types.length) throw new Error(`${header.length} columns, the plan says ${types.length}`)
  const rows = records.map((rec) => {
    if (rec.length !== types.length) throw new Error(`a line of ${rec.length} fields: ${JSON.stringify(rec)}`)
    return rec.map((text, i) => cliValue(text, types[i]!))
  })
  return { names: header, types: [...types], rows }
}

function cliValue(text: string, t: DType): Value {
  if (text === '') return null
  if (isInteger(t)) return BigInt(text)
  switch (t) {
    case 'float64':
      return Number(text)
    case 'bool':
      return text === 'true'
    case 'date32':
    case 'timestamp[ms]':
      return Date.parse(text)
    default:
      return text
  }
}
