/**
 * Deterministic task keys (Dask's tokenize). `taskKey(task)` is `label-hash`, the hash covering
 * everything that determines the task's output: its op, its arguments, its inputs in order (keys,
 * and for a part reference the key and the part) and its number of parts; never the plan node
 * that made it. So two tasks that differ in any of them cannot share
 * a key, two lowerings of equal sub-plans produce equal keys and share tasks, and a key covers the
 * whole computation below it, through its inputs' keys (a Merkle hash).
 *
 *   taskKey({ op: 'filter', args: { predicate }, deps: ['read-csv-1a2b3c4d5e6f-0'] })  →  'filter-9f8e7d6c5b4a'
 *
 * `stableKey(prefix, ...parts)` hashes any JSON parts the same way.
 *
 * Assumptions: parts are JSON (no undefined, functions, bigint or cycles: lowering writes int64
 * literals as decimal strings). Object keys are sorted, so `{a, b}` and `{b, a}` hash alike;
 * array order matters. Non-finite numbers are written as `NaN` / `Infinity` / `-Infinity`
 * (JSON.stringify would turn all three into `null` and merge distinct literals), and `-0` as `-0`.
 * A task's args are not changed once it is keyed (tasks are `readonly` all the way down).
 */
import { createHash } from 'node:crypto'
import { depKeys } from './deps.js'
import type { JsonValue, Key, Task } from './task-graph.js'

/** Hex digits kept from the SHA-1: 48 bits, a collision is unlikely below ~10^7 distinct tasks. */
const HASH_HEX_LENGTH = 12

export function stableKey(prefix: string, ...parts: JsonValue[]): Key {
  return `${prefix}-${stableHash(parts)}`
}

/**
 * `label-hash` over op, args, deps and parts. Meta (label, partition, origin) is for people: not
 * hashed. A task without parts hashes as it did before parts existed, so its keys are unchanged.
 */
export function taskKey(task: Task): Key {
  const parts = task.parts === undefined ? '' : `;parts=${task.parts}`
  // Keys only (the common case): the native serializer writes what stableStringify would, faster.
  const deps = depKeys(task) === task.deps ? JSON.stringify(task.deps) : stableStringify(task.deps as JsonValue)
  const work = `${JSON.stringify(task.op)};${argsHash(task.args)};${deps}${parts}`
  return `${task.meta?.label ?? task.op}-${hashText(work)}`
}

/**
 * The hash of a task's args, kept per args object: lowering hands one args object to every
 * partition's task, and serializing it again for each task made lowering a wide graph several
 * times slower.
 */
const argsHashes = new WeakMap<object, string>()

function argsHash(args: JsonValue): string {
  if (args === null || typeof args !== 'object') return stableHash(args)
  let hash = argsHashes.get(args)
  if (hash === undefined) {
    hash = stableHash(args)
    argsHashes.set(args, hash)
  }
  return hash
}

/** The short hex hash of a JSON value, by stable serialization. */
export function stableHash(value: JsonValue): string {
  return hashText(stableStringify(value))
}

function hashText(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, HASH_HEX_LENGTH)
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
