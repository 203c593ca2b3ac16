#!/usr/bin/env node
/**
 * `tsdask`, the command line: `tsdask sql "<query>" --table NAME=PATH …` runs a SQL query over CSV
 * files through the public API (readCsv, sql, compute) and prints the result as a table, CSV or
 * JSON. User errors exit with status 2 and a message on stderr (no stack trace); `--help` lists
 * every option.
 */
import { readFileSync } from 'node:fs'
import { readCsv, type SqlTable, shutdown, sql, TsdaskError } from '../index.js'
import { type Command, HELP, parseCommand, UsageError } from './args.js'
import { type Cell, formatResult } from './format.js'

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

async function run(command: Command): Promise<void> {
  if (command.kind === 'help') {
    process.stdout.write(HELP)
    return
  }
  if (command.kind === 'version') {
    process.stdout.write(`${version()}\n`)
    return
  }
  const tables: Record<string, SqlTable> = {}
  for (const t of command.tables) {
    if (t.name in tables) throw new UsageError(`--table ${t.name} is given twice; give each table one name.`)
    tables[t.name] = readCsv(t.path)
  }
  const options = {
    ...(command.scheduler && { scheduler: command.scheduler }),
    ...(command.workers !== undefined && { workers: command.workers }),
  }
  const frame = sql(command.query, { tables })
  if (command.explain) {
    process.stdout.write(`${frame.explain()}\n`)
    return
  }
  // The progress bar is on by default: the scheduler draws it only when stderr is a terminal.
  const rows = await frame.toRecords({
    progress: true,
    ...options,
    ...(command.maxMemory !== undefined && { maxMemory: command.maxMemory }),
  })
  const columns = Object.entries(frame.schema).map(([name, dtype]) => ({ name, dtype }))
  process.stdout.write(formatResult({ columns, rows: rows as Record<string, Cell>[] }, command.format))
}

async function main(): Promise<number> {
  try {
    await run(parseCommand(process.argv.slice(2)))
    return 0
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TsdaskError && error.code !== 'INTERNAL')) {
      process.stderr.write(`tsdask: ${error.message}\n`)
      return 2
    }
    process.stderr.write(`tsdask: internal error (please report it): ${(error as Error)?.stack ?? String(error)}\n`)
    return 1
  } finally {
    await shutdown()
  }
}

// No top-level await: the bundle (scripts/bundle.mjs) is CommonJS, so V8's code cache can load it.
void main().then((code) => {
  process.exitCode = code
})
