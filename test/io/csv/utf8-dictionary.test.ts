/**
 * Repeated strings are read into a per-chunk dictionary; values of at most 7 bytes are matched as
 * two packed words holding bytes and length, values of 8–15 bytes as four (utf8-builder.ts). Whatever the lengths and bytes
 * (NULs included, which pack like the zero fill), every cell reads back as written, on real files.
 */
import { DataType } from 'apache-arrow'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { readCsvChunk } from '../../../src/io/csv/index.js'
import type { Schema } from '../../../src/types/schema.js'
import { rowsOf, tempDir, writeFile } from './helpers.js'

const dir = tempDir()
const schema: Schema = [
  { name: 'k', dtype: 'utf8' },
  { name: 'n', dtype: 'int32' },
]

function readColumn(path: string, size: number) {
  return readCsvChunk({
    path,
    start: 0,
    end: size,
    fileSchema: schema,
    columns: [0],
    delimiter: ',',
    quote: '"',
    header: true,
    nullValues: [],
  })
}

function writeColumn(name: string, values: readonly string[]): { path: string; size: number } {
  const text = `k,n\n${values.map((v, i) => `${v},${i}`).join('\n')}\n`
  const bytes = new TextEncoder().encode(text)
  return { path: writeFile(dir, name, bytes), size: bytes.length }
}

describe('the utf8 dictionary', () => {
  test('values that differ only by length, trailing NULs or across the 7- and 15-byte packed limits stay distinct', () => {
    const pool = [
      '',
      '\0',
      'a',
      'a\0',
      'a\0\0',
      'abcdefg',
      'abcdefg\0',
      'abcdeff',
      'abcdefgh',
      'abcdefgh\0',
      'abcdefghi',
      'abcdefgi',
      'é',
      'éé',
      'id001',
      'abcdefghijk',
      'abcdefghijk\0',
      'abcdefghijkl',
      'abcdefghijkm',
      'abcdefghijkl\0',
      'id0000012345',
      'id0000012346',
      'abcdefghijklmno',
      'abcdefghijklmn\0',
      'abcdefghijklmnop',
      'abcdefghijklmno\0',
      '\0\0\0\0\0\0\0\0',
    ]
    const values = Array.from({ length: 120 }, (_, i) => pool[(i * 7) % pool.length]!)
    const { path, size } = writeColumn('lengths.csv', values)
    const batch = readColumn(path, size)
    expect(DataType.isDictionary(batch.getChildAt(0)!.type)).toBe(true)
    expect(rowsOf(batch).map((r) => r[0])).toEqual(values)
  })

  test('any few values, short or long, read back as written', () => {
    const unit = fc.constantFrom('a', 'b', '\0', 'é', '€', '1')
    // Up to 20 units (up to 60 bytes): short, medium (8–15 bytes) and long values meet in one table.
    const value = fc.array(unit, { maxLength: 20 }).map((cs) => cs.join(''))
    fc.assert(
      fc.property(
        fc.uniqueArray(value, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { minLength: 20, maxLength: 80 }),
        (pool, picks) => {
          const values = picks.map((p) => pool[p % pool.length]!)
          const { path, size } = writeColumn('random.csv', values)
          expect(rowsOf(readColumn(path, size)).map((r) => r[0])).toEqual(values)
        },
      ),
      { numRuns: 200 },
    )
  })
})
