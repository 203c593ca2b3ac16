import type { DType } from './dtype.js'

/** One named, typed column. `nullable` is informational: every column may hold nulls. */
export interface Field {
  readonly name: string
  readonly dtype: DType
}

/** An ordered list of fields with unique names. */
export type Schema = readonly Field[]

export function fieldIndex(schema: Schema, name: string): number {
  return schema.findIndex((f) => f.name === name)
}

export function fieldNames(schema: Schema): string[] {
  return schema.map((f) => f.name)
}

/** `{ a: 'int32', b: 'utf8' }` → ordered fields. */
export function schemaFromRecord(record: Readonly<Record<string, DType>>): Schema {
  return Object.entries(record).map(([name, dtype]) => ({ name, dtype }))
}

export function schemaToRecord(schema: Schema): Record<string, DType> {
  return Object.fromEntries(schema.map((f) => [f.name, f.dtype]))
}

export function formatSchema(schema: Schema): string {
  return schema.map((f) => `${f.name}: ${f.dtype}`).join(', ')
}
