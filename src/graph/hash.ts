/**
 * Deterministic task keys. A key is `${prefix}-${hash}` where the hash covers a stable JSON
 * serialization of everything that determines the task's output (its op, arguments and the keys
 * of its inputs), so two lowerings of equal sub-plans produce equal keys and share tasks, and a
 * persisted partition is found again by the next graph that needs it (Dask's tokenize).
 *
 *   stableKey('filter', { predicate }, ['read-csv-1a2b3c4d5e6f'])  →  'filter-9f8e7d6c5b4a'
 *
 * Callers append the partition index themselves: `${stableKey(...)}-${i}`.
 *
 * Assumptions: parts are JSON (no undefined, functions, bigint or cycles: lowering writes int64
 * literals as decimal strings). Object keys are sorted, so `{a, b}` and `{b, a}` hash alike;
 * array order matters. Non-finite numbers are written as `NaN` / `Infinity` / `-Infinity`
 * (JSON.stringify would turn all three into `null` and merge distinct literals), and `-0` as `-0`.
 */
import { createHash } from 'node:crypto'
import type { JsonValue, Key } from './task-graph.js'

/** Hex digits kept from the SHA-1: 48 bits, a collision is unlikely below ~10^7 distinct tasks. */
const HASH_HEX_LENGTH = 12

export function stableKey(prefix: string, ...parts: JsonValue[]): Key {
  return `${prefix}-${stableHash(parts)}`
}

/** The short hex hash of a JSON value, by stable serialization. */
export function stableHash(value: JsonValue): string {
  return createHash('sha1').update(stableStringify(value)).digest('hex').slice(0, HASH_HEX_LENGTH)
}

/** JSON text with object keys sorted at every level and non-finite numbers kept distinct. */
export function stableStringify(value: JsonValue): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (Number.isFinite(value)) return Object.is(value, -0) ? '-0' : JSON.stringify(value)
      return String(value)
    case 'string':
      return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map((v) => stableStringify(v as JsonValue)).join(',')}]`
  const record = value as { readonly [key: string]: JsonValue }
  const entries = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(record[k]!)}`)
  return `{${entries.join(',')}}`
}
