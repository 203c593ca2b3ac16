/**
 * The answer summary (row count, sum of each numeric column) of an Arrow table, read straight
 * from the column buffers: string and dictionary columns are skipped, int64 sums become numbers,
 * nulls and NaN are skipped.
 */
import { DataType, type Table } from 'apache-arrow'
import type { AnswerSummary } from './report.js'

export function summarizeArrow(table: Table): AnswerSummary {
  const sums: Record<string, number> = {}
  for (const field of table.schema.fields) {
    if (!DataType.isInt(field.type) && !DataType.isFloat(field.type)) continue
    const vector = table.getChild(field.name)
    if (!vector) continue
    let total = 0
    for (const data of vector.data) {
      const values = data.values as ArrayLike<number | bigint>
      for (let i = 0; i < data.length; i++) {
        if (data.nullCount > 0 && !data.getValid(i)) continue
        const x = Number(values[i])
        if (!Number.isNaN(x)) total += x
      }
    }
    sums[field.name] = total
  }
  return { rows: table.numRows, sums }
}
