import fc from 'fast-check'
import { expect, test } from 'vitest'
import { stableKey, stableStringify, taskKey } from '../../src/graph/hash.js'
import type { JsonValue, Task } from '../../src/graph/task-graph.js'

test('format is prefix-hex', () => {
  expect(stableKey('filter', { predicate: 'a > 1' }, ['read-csv-abc'])).toMatch(/^filter-[0-9a-f]{12}$/)
})

test('object key order does not matter, array order does', () => {
  expect(stableKey('p', { a: 1, b: { c: [1, 2], d: null } })).toBe(stableKey('p', { b: { d: null, c: [1, 2] }, a: 1 }))
  expect(stableKey('p', [1, 2])).not.toBe(stableKey('p', [2, 1]))
})

test('prefix, arity and literal kind change the key', () => {
  expect(stableKey('a', 1)).not.toBe(stableKey('b', 1))
  expect(stableKey('a', 1, 2)).not.toBe(stableKey('a', [1, 2]))
  expect(stableKey('a', '1')).not.toBe(stableKey('a', 1))
  const distinct = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null, 0, -0]
  expect(new Set(distinct.map((v) => stableKey('lit', v))).size).toBe(distinct.length)
})

test('deterministic across calls (golden)', () => {
  expect(stableStringify({ b: [1, 'x', true], a: null })).toBe('{"a":null,"b":[1,"x",true]}')
  expect(stableKey('scan', { path: 'trips.csv' })).toMatchInlineSnapshot(`"scan-b9172585d201"`)
})

test('equal JSON values (up to key order) give equal keys', () => {
  fc.assert(
    // -0 is kept apart from 0 on purpose (x * -0.0 and x * 0.0 differ), and a JSON round trip
    // turns -0 into 0: so both sides are compared after one round trip.
    fc.property(fc.jsonValue(), (raw) => {
      const value = JSON.parse(JSON.stringify(raw)) as JsonValue
      const shuffled = JSON.parse(JSON.stringify(value)) as JsonValue
      expect(stableKey('k', reverseKeys(shuffled))).toBe(stableKey('k', value))
    }),
  )
})

test('a task key hashes op, args and deps, and nothing else', () => {
  const task: Task = {
    op: 'top-k',
    args: { keys: [0], k: 10 },
    deps: ['sort-a-0', 'sort-a-1'],
    meta: { label: 'top-k' },
  }
  const key = taskKey(task)
  expect(key).toMatch(/^top-k-[0-9a-f]{12}$/)
  // Meta is for people; an equal args object built again hashes alike.
  expect(
    taskKey({ ...task, args: { k: 10, keys: [0] }, meta: { label: 'top-k', partition: 3, origin: 'a.ts:1' } }),
  ).toBe(key)
  const others: Task[] = [
    { ...task, op: 'sort' },
    { ...task, args: { keys: [0], k: 3 } },
    { ...task, deps: ['sort-a-1', 'sort-a-0'] },
    { ...task, deps: ['sort-a-0'] },
  ]
  expect(new Set(others.map((t) => taskKey({ ...t, meta: { label: 'top-k' } }))).size).toBe(others.length)
  for (const other of others) expect(taskKey({ ...other, meta: { label: 'top-k' } })).not.toBe(key)
})

function reverseKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map((v) => reverseKeys(v as JsonValue))
  if (value !== null && typeof value === 'object') {
    const record = value as { [k: string]: JsonValue }
    return Object.fromEntries(
      Object.keys(record)
        .reverse()
        .map((k) => [k, reverseKeys(record[k]!)]),
    )
  }
  return value
}
