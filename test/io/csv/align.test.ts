import { describe, expect, test } from 'vitest'
import { findRecordStart } from '../../../src/io/csv/align.js'
import { bytesSource } from '../../../src/io/csv/byte-source.js'
import { compileDialect } from '../../../src/io/csv/options.js'
import { readRows, tempDir, thrown, writeFile } from './helpers.js'

const dialect = compileDialect(',', '"')
const starts = (text: string, fields: number) => {
  const source = bytesSource(new TextEncoder().encode(text))
  return Array.from({ length: text.length + 2 }, (_, offset) => findRecordStart(source, offset, dialect, fields))
}

describe('findRecordStart', () => {
  test('plain records: the next line start at or after the offset', () => {
    //            0123 4567 89
    const text = 'a,b\n1,2\n3,4'
    expect(starts(text, 2)).toEqual([0, 4, 4, 4, 4, 8, 8, 8, 8, 11, 11, 11, 11])
  })

  test('an offset inside a quoted field with newlines skips to the end of that record', () => {
    const text = 'a,b\n1,"x\ny, z"\n2,w\n'
    // Offsets 5..15 fall in record `1,"x\ny, z"` (bytes 4..14) or begin the next one at 15.
    const result = starts(text, 2)
    for (let offset = 5; offset <= 15; offset++) expect(result[offset]).toBe(15)
    for (let offset = 16; offset <= text.length; offset++) expect(result[offset]).toBe(text.length)
  })

  test('the same answer from both sides, so chunks never overlap or leave gaps', () => {
    const text = 'a,b\r\n"q\r\n""u"", x",1\r\n\r\nlast,"2\n3"'
    const result = starts(text, 2)
    for (let i = 1; i < result.length; i++) expect(result[i]).toBeGreaterThanOrEqual(result[i - 1]!)
  })
})

describe('residual ambiguity', () => {
  const dir = tempDir()
  const lines = ['a,b', '1,"x']
  for (let i = 2; i <= 10; i++) lines.push(`${i},y`)
  lines.push('11,z"', '12,w')
  const path = writeFile(dir, 'embedded.csv', `${lines.join('\n')}\n`)

  test('a quoted field that looks like records is an error when split, never a wrong answer', () => {
    const error = thrown(() => readRows(path, { blocksize: 12 }))
    expect(error.code).toBe('CSV_PARSE')
    expect(error.message).toContain('could not split the file into chunks at byte')
    expect(error.message).toContain('blocksize: Infinity')
  })

  test('one chunk per file reads it', () => {
    const { rows } = readRows(path)
    expect(rows).toEqual([
      [1, lines.slice(1, 12).join('\n').slice(3, -1)],
      [12, 'w'],
    ])
  })
})
