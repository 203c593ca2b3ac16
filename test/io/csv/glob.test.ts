import { mkdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, test } from 'vitest'
import { segmentMatcher } from '../../../src/io/csv/glob.js'
import { expandPaths } from '../../../src/io/csv/index.js'
import { tempDir, thrown, writeFile } from './helpers.js'

const root = tempDir()
for (const dir of ['a', 'a/b', 'a/b/c', 'x', '.hidden']) mkdirSync(join(root, dir), { recursive: true })
for (const file of [
  '1.csv',
  '2.csv',
  '10.csv',
  'notes.txt',
  'a/3.csv',
  'a/b/4.csv',
  'a/b/c/5.csv',
  'x/6.csv',
  '.hidden/7.csv',
  '.dot.csv',
]) {
  writeFile(root, file, 'a\n1\n')
}
const rel = (paths: string[]) => paths.map((p) => relative(root, p))

describe('segmentMatcher', () => {
  test.each([
    ['*.csv', 'a.csv', true],
    ['*.csv', 'a.tsv', false],
    ['?.csv', 'ab.csv', false],
    ['?.csv', '1.csv', true],
    ['[abc].csv', 'b.csv', true],
    ['[abc].csv', 'd.csv', false],
    ['[a-c]x', 'bx', true],
    ['[!a-c]x', 'bx', false],
    ['[!a-c]x', 'dx', true],
    ['*.csv', '.dot.csv', false],
    ['.*.csv', '.dot.csv', true],
    ['data(1).csv', 'data(1).csv', true],
    ['a+b.csv', 'a+b.csv', true],
    ['a+b.csv', 'aab.csv', false],
  ])('%s vs %s → %s', (pattern, name, expected) => {
    expect(segmentMatcher(pattern)(name)).toBe(expected)
  })
})

describe('expandPaths', () => {
  test('a plain path is returned as given', () => {
    expect(expandPaths(join(root, '1.csv'))).toEqual([join(root, '1.csv')])
  })
  test('* matches in one directory, sorted lexicographically, skipping dotfiles', () => {
    expect(rel(expandPaths(join(root, '*.csv')))).toEqual(['1.csv', '10.csv', '2.csv'])
  })
  test('? and [..]', () => {
    expect(rel(expandPaths(join(root, '?.csv')))).toEqual(['1.csv', '2.csv'])
    expect(rel(expandPaths(join(root, '[12]*.csv')))).toEqual(['1.csv', '10.csv', '2.csv'])
  })
  test('** matches zero or more directories, not hidden ones', () => {
    expect(rel(expandPaths(join(root, '**/*.csv')))).toEqual([
      '1.csv',
      '10.csv',
      '2.csv',
      'a/3.csv',
      'a/b/4.csv',
      'a/b/c/5.csv',
      'x/6.csv',
    ])
    expect(rel(expandPaths(join(root, 'a/**/c/*.csv')))).toEqual(['a/b/c/5.csv'])
  })
  test('wildcards in directory segments', () => {
    expect(rel(expandPaths(join(root, '*/*.csv')))).toEqual(['a/3.csv', 'x/6.csv'])
  })
  test('a list is expanded, deduplicated and sorted', () => {
    expect(rel(expandPaths([join(root, '2.csv'), join(root, '*.csv'), join(root, 'a/*.csv')]))).toEqual([
      '1.csv',
      '10.csv',
      '2.csv',
      'a/3.csv',
    ])
  })
  test('a pattern matching nothing is an IO error naming the pattern and the cwd', () => {
    const error = thrown(() => expandPaths(join(root, '*.parquet')))
    expect(error.code).toBe('IO')
    expect(error.message).toContain(`no files match the pattern "${join(root, '*.parquet')}"`)
    expect(error.message).toContain(process.cwd())
  })
  test('a missing file is an IO error', () => {
    const error = thrown(() => expandPaths(join(root, 'missing.csv')))
    expect(error.code).toBe('IO')
    expect(error.message).toContain(`file "${join(root, 'missing.csv')}" does not exist`)
  })
  test('a directory is not a file', () => {
    expect(thrown(() => expandPaths(join(root, 'a'))).code).toBe('IO')
  })
})
