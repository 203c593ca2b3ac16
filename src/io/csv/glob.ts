/**
 * Expands file paths and glob patterns to a sorted, deduplicated list of files (Node 20 has no
 * `fs.glob`). Supported syntax, per `/`-separated segment: `*` (any run of characters), `?` (one
 * character), `[abc]` / `[a-z]` / `[!abc]` (a character class) and `**` as a whole segment (zero
 * or more directories). As in shells, wildcards do not match a leading `.` unless the pattern
 * segment starts with `.`. Only files are returned; a pattern that matches nothing, or a plain path
 * that does not exist, is an IO error naming the pattern and the working directory.
 *
 * Returned paths keep the pattern's form (relative stays relative), so error messages show what
 * the user typed. Order is lexicographic by UTF-16 code units, which is deterministic everywhere.
 */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { TsdaskError } from '../../util/errors.js'

const MAGIC = /[*?[]/

/**
 * @example
 * expandPaths('data/2024-*.csv') // ['data/2024-01.csv', 'data/2024-02.csv']
 */
export function expandPaths(pathOrGlob: string | readonly string[]): string[] {
  const patterns = typeof pathOrGlob === 'string' ? [pathOrGlob] : pathOrGlob
  if (patterns.length === 0) throw new TsdaskError('IO', 'no paths given: pass a file path, a glob or a list of them.')
  const found = new Set<string>()
  for (const pattern of patterns) {
    const matches = expandOne(pattern)
    if (matches.length === 0) throw notFound(pattern)
    for (const m of matches) found.add(m)
  }
  return [...found].sort(compareCodeUnits)
}

function expandOne(pattern: string): string[] {
  // Patterns use '/' separators (POSIX paths; a backslash is an ordinary character).
  if (!MAGIC.test(pattern)) return isFile(pattern) ? [pattern] : []
  const segments = pattern.split('/')
  const absolute = pattern.startsWith('/')
  // The literal prefix is where the walk starts: 'data/raw/*.csv' walks only data/raw.
  let first = 0
  while (first < segments.length - 1 && !MAGIC.test(segments[first]!)) first++
  const base = segments.slice(0, first).join('/') || (absolute ? '/' : '')
  const out: string[] = []
  walk(base, segments.slice(first), out)
  return out
}

function walk(dir: string, rest: readonly string[], out: string[]): void {
  const [segment, ...tail] = rest
  if (segment === undefined) return
  if (segment === '**') {
    // Zero directories, then each subdirectory (not hidden) with `**` still active.
    walk(dir, tail, out)
    for (const entry of listDir(dir)) {
      if (entry.isDirectory && !entry.name.startsWith('.')) walk(joinPath(dir, entry.name), rest, out)
    }
    return
  }
  if (!MAGIC.test(segment)) {
    const next = joinPath(dir, segment)
    if (tail.length === 0) {
      if (isFile(next)) out.push(next)
    } else walk(next, tail, out)
    return
  }
  const matcher = segmentMatcher(segment)
  for (const entry of listDir(dir)) {
    if (!matcher(entry.name)) continue
    const next = joinPath(dir, entry.name)
    if (tail.length === 0) {
      if (entry.isFile) out.push(next)
    } else if (entry.isDirectory) walk(next, tail, out)
  }
}

/** A predicate for one path segment pattern (no `/` inside). Exported for tests. */
export function segmentMatcher(segment: string): (name: string) => boolean {
  let source = '^'
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!
    if (c === '*') source += '[^/]*'
    else if (c === '?') source += '[^/]'
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2)
      if (close < 0) {
        source += '\\['
        continue
      }
      let body = segment.slice(i + 1, close)
      const negate = body.startsWith('!') || body.startsWith('^')
      if (negate) body = body.slice(1)
      source += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`
      i = close
    } else source += c.replace(/[.+^${}()|\\/]/g, '\\$&')
  }
  const regex = new RegExp(`${source}$`, 'u')
  const dotExplicit = segment.startsWith('.')
  return (name) => (dotExplicit || !name.startsWith('.')) && regex.test(name)
}

interface DirEntry {
  readonly name: string
  readonly isFile: boolean
  readonly isDirectory: boolean
}

function listDir(dir: string): DirEntry[] {
  try {
    return readdirSync(dir === '' ? '.' : dir, { withFileTypes: true }).map((d) => {
      // Symlinks are followed, so a linked data directory globs like a real one.
      if (!d.isSymbolicLink()) return { name: d.name, isFile: d.isFile(), isDirectory: d.isDirectory() }
      const st = statOrNull(joinPath(dir, d.name))
      return { name: d.name, isFile: st?.isFile() ?? false, isDirectory: st?.isDirectory() ?? false }
    })
  } catch {
    return []
  }
}

function joinPath(dir: string, name: string): string {
  return dir === '' ? name : dir === '/' ? `/${name}` : join(dir, name)
}

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path)
  } catch {
    return null
  }
}

function isFile(path: string): boolean {
  return statOrNull(path)?.isFile() ?? false
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function notFound(pattern: string): TsdaskError {
  const what = MAGIC.test(pattern) ? `no files match the pattern "${pattern}"` : `file "${pattern}" does not exist`
  return new TsdaskError(
    'IO',
    `${what} (relative to the working directory ${process.cwd()}). Check the path, or pass an absolute one.`,
    { path: pattern },
  )
}
