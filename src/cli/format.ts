/**
 * Result rows as text: CSV (RFC 4180 quoting), JSON (an array of row objects) or an aligned table.
 * Values print the same way in every format: numbers as JavaScript prints them, int64 in full,
 * booleans `true`/`false`, date32 as `YYYY-MM-DD`, timestamps as ISO 8601.
 */
import type { DType } from '../index.js'
import type { OutputFormat } from './args.js'

export type Cell = null | boolean | number | bigint | string | Date
export interface ResultTable {
  readonly columns: readonly { readonly name: string; readonly dtype: DType }[]
  readonly rows: readonly Readonly<Record<string, Cell>>[]
}

export function formatResult(result: ResultTable, format: OutputFormat): string {
  switch (format) {
    case 'csv':
      return formatCsv(result)
    case 'json':
      return formatJson(result)
    case 'table':
      return formatTable(result)
  }
}

function text(value: Cell, dtype: DType): string {
  if (value === null) return ''
  if (value instanceof Date) return dtype === 'date32' ? value.toISOString().slice(0, 10) : value.toISOString()
  return String(value)
}

function csvField(field: string): string {
  return /[",\n\r]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field
}

export function formatCsv({ columns, rows }: ResultTable): string {
  const lines = [columns.map((c) => csvField(c.name)).join(',')]
  for (const row of rows) lines.push(columns.map((c) => csvField(text(row[c.name] ?? null, c.dtype))).join(','))
  return `${lines.join('\n')}\n`
}

function jsonValue(value: Cell, dtype: DType): string {
  if (value === null) return 'null'
  // JSON numbers have no size limit: an int64 prints in full. NaN and ±Infinity have no JSON form.
  if (typeof value === 'bigint') return String(value)
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null'
  if (typeof value === 'boolean') return String(value)
  return JSON.stringify(text(value, dtype))
}

export function formatJson({ columns, rows }: ResultTable): string {
  const objects = rows.map(
    (row) =>
      `{${columns.map((c) => `${JSON.stringify(c.name)}:${jsonValue(row[c.name] ?? null, c.dtype)}`).join(',')}}`,
  )
  return `[${objects.join(',\n')}]\n`
}

/** A box-drawn table; numbers right-aligned, nulls shown as NULL. */
export function formatTable({ columns, rows }: ResultTable): string {
  const cells = rows.map((row) =>
    columns.map((c) => {
      const v = row[c.name] ?? null
      return v === null ? 'NULL' : text(v, c.dtype).replaceAll('\n', '\\n')
    }),
  )
  const widths = columns.map((c, i) => Math.max(c.name.length, c.dtype.length, ...cells.map((r) => r[i]!.length)))
  const numeric = columns.map((c) => c.dtype === 'int32' || c.dtype === 'int64' || c.dtype === 'float64')
  const line = (l: string, m: string, r: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`
  const row = (values: readonly string[], alignRight: readonly boolean[]) =>
    `│${values.map((v, i) => ` ${alignRight[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)} `).join('│')}│`
  const left = columns.map(() => false)
  const out = [
    line('┌', '┬', '┐'),
    row(
      columns.map((c) => c.name),
      left,
    ),
    row(
      columns.map((c) => c.dtype),
      left,
    ),
    line('├', '┼', '┤'),
    ...cells.map((r) => row(r, numeric)),
    line('└', '┴', '┘'),
    `${rows.length} row${rows.length === 1 ? '' : 's'}`,
  ]
  return `${out.join('\n')}\n`
}
