/**
 * DuckDB as the oracle: one in-memory database per test file, tables loaded through the appender
 * (exact values, no text round trip), queries answered in the normal form of result.ts.
 */
import {
  type DuckDBConnection,
  DuckDBDateValue,
  DuckDBInstance,
  DuckDBTimestampValue,
  type DuckDBType,
  DuckDBTypeId,
} from '@duckdb/node-api'
import type { DType } from '../../src/index.js'
import { duckType } from './print-sql.js'
import { normalizeCell, type Outcome, type ResultType } from './result.js'
import type { Table } from './tables.js'

const MS_PER_DAY = 86_400_000

function resultType(type: DuckDBType): ResultType {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return 'bool'
    case DuckDBTypeId.INTEGER:
      return 'int32'
    case DuckDBTypeId.BIGINT:
      return 'int64'
    case DuckDBTypeId.DOUBLE:
      return 'float64'
    case DuckDBTypeId.VARCHAR:
      return 'utf8'
    case DuckDBTypeId.DATE:
      return 'date32'
    case DuckDBTypeId.TIMESTAMP:
      return 'timestamp[ms]'
    default:
      return 'other'
  }
}

export class DuckSession {
  private constructor(private readonly connection: DuckDBConnection) {}

  static async open(): Promise<DuckSession> {
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' })
    return new DuckSession(await instance.connect())
  }

  async load(table: Table): Promise<void> {
    const columns = table.columns.map((c) => `${c.sql} ${duckType(c.dtype)}`).join(', ')
    await this.connection.run(`CREATE OR REPLACE TABLE ${table.name} (${columns})`)
    const appender = await this.connection.createAppender(table.name)
    for (const row of table.rows) {
      for (const [i, v] of row.entries()) append(appender, v, table.columns[i]!.dtype)
      appender.endRow()
    }
    appender.closeSync()
  }

  async run(sql: string): Promise<Outcome> {
    try {
      const reader = await this.connection.runAndReadAll(sql)
      const types = reader.columnTypes().map(resultType)
      const rows = reader.getRowsJS().map((row) => row.map((v, i) => normalizeCell(v, types[i]!)))
      return { ok: true, result: { names: reader.columnNames(), types, rows } }
    } catch (error) {
      return { ok: false, message: (error as Error).message, internal: false }
    }
  }

  /**
   * The query with DuckDB's optimizer off: how its plan evaluates as written (constant folding,
   * unused-column removal and filter pushdown off). Tells errors a query raises from errors
   * DuckDB's optimizer happened to remove (sql-case.ts, raisedWithoutOptimizers).
   */
  async runUnoptimized(sql: string): Promise<Outcome> {
    await this.connection.run('PRAGMA disable_optimizer')
    try {
      return await this.run(sql)
    } finally {
      await this.connection.run('PRAGMA enable_optimizer')
    }
  }
}

type Appender = Awaited<ReturnType<DuckDBConnection['createAppender']>>

function append(a: Appender, v: unknown, dtype: DType): void {
  if (v === null) {
    a.appendNull()
    return
  }
  switch (dtype) {
    case 'bool':
      a.appendBoolean(v as boolean)
      break
    case 'int32':
      a.appendInteger(v as number)
      break
    case 'int64':
      a.appendBigInt(v as bigint)
      break
    case 'float64':
      a.appendDouble(v as number)
      break
    case 'utf8':
      a.appendVarchar(v as string)
      break
    case 'date32':
      a.appendDate(new DuckDBDateValue(Math.floor((v as Date).getTime() / MS_PER_DAY)))
      break
    case 'timestamp[ms]':
      a.appendTimestamp(new DuckDBTimestampValue(BigInt((v as Date).getTime()) * 1000n))
      break
  }
}
