/**
 * `sql(query, { tables })`: a SQL query over DataFrames, as a lazy DataFrame. The query compiles
 * to the same logical plan the fluent builder makes, so it is optimized and run the same way.
 *
 * @example
 * const trips = readCsv('trips/*.csv')
 * const top = sql('SELECT vendor, sum(fare) AS total FROM trips GROUP BY vendor ORDER BY total DESC LIMIT 3', {
 *   tables: { trips },
 * })
 * await top.toRecords()
 */
import type { SchemaShape } from '../expr/typing.js'
import { parseSql } from '../parse/index.js'
import type { LogicalPlan } from '../plan/plan.js'
import { TsdaskError } from '../util/errors.js'
import { DataFrame } from './data-frame.js'

/** Any DataFrame, whatever its schema type. */
export type SqlTable = Pick<DataFrame<SchemaShape>, 'plan'>

export interface SqlOptions {
  /** The tables the query may read, by name: `{ trips: readCsv('trips.csv') }`. */
  readonly tables: { readonly [name: string]: SqlTable }
}

export function sql(query: string, options: SqlOptions): DataFrame<SchemaShape> {
  if (typeof query !== 'string') {
    throw new TsdaskError('INVALID_ARGUMENT', `sql() takes the query as a string, got ${typeof query}`)
  }
  const tables = new Map<string, LogicalPlan>()
  for (const [name, frame] of Object.entries(options?.tables ?? {})) {
    if (!(frame instanceof DataFrame)) {
      throw new TsdaskError(
        'INVALID_ARGUMENT',
        `sql(): tables.${name} is not a DataFrame; pass frames made by readCsv, fromRecords or fromArrow`,
      )
    }
    tables.set(name, frame.plan)
  }
  return new DataFrame(parseSql(query, tables))
}
