/**
 * The db-benchmark group-by table (H2O.ai db-benchmark, `_data/groupby-datagen.R`), seeded and
 * deterministic: N rows, K = 100; id1, id2 ∈ K strings `id001`…; id3 ∈ N/K strings `id0000000001`…;
 * id4, id5 ∈ 1..K; id6 ∈ 1..N/K; v1 ∈ 1..5; v2 ∈ 1..15; v3 uniform 0..100 with 6 decimals.
 * Written as CSV under bench/data/ (gitignored) and reused when already there.
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, statSync, writeSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const DATA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data')
export const K = 100

/** mulberry32: small, fast, good enough for benchmark data. */
export function seededRandom(seed: number): () => number {
  let s = seed | 0
  return () => {
    s = (s + 0x6d2b79f5) | 0
    let t = Math.imul(s ^ (s >>> 15), 1 | s)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function groupbyCsvPath(rows: number, dir = DATA_DIR): string {
  return path.join(dir, `groupby-${rows}.csv`)
}

/** Writes the table (if missing) and returns its path and size in bytes. */
export function ensureGroupbyCsv(rows: number, seed = 1, dir = DATA_DIR): { path: string; bytes: number } {
  const file = groupbyCsvPath(rows, dir)
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true })
    const tmp = `${file}.partial`
    const fd = openSync(tmp, 'w')
    const random = seededRandom(seed)
    const groups = Math.max(1, Math.round(rows / K))
    const int = (n: number) => 1 + Math.floor(random() * n)
    const pad = (n: number, width: number) => String(n).padStart(width, '0')
    const small = Array.from({ length: K }, (_, i) => `id${pad(i + 1, 3)}`)
    writeSync(fd, 'id1,id2,id3,id4,id5,id6,v1,v2,v3\n')
    let lines: string[] = []
    for (let i = 0; i < rows; i++) {
      lines.push(
        `${small[int(K) - 1]},${small[int(K) - 1]},id${pad(int(groups), 10)},${int(K)},${int(K)},${int(groups)},${int(5)},${int(15)},${(random() * 100).toFixed(6)}`,
      )
      if (lines.length === 50_000) {
        writeSync(fd, `${lines.join('\n')}\n`)
        lines = []
      }
    }
    if (lines.length > 0) writeSync(fd, `${lines.join('\n')}\n`)
    closeSync(fd)
    renameSync(tmp, file)
  }
  return { path: file, bytes: statSync(file).size }
}

/**
 * The independent answer for `v1 > 2 → sum(v3) by id1`: a plain streaming pass over the file
 * (64 MB blocks, split into lines and fields with string methods), sharing no code with tsdask.
 */
export function referenceFilterSum(file: string): Map<string, number> {
  const fd = openSync(file, 'r')
  const block = Buffer.alloc(64 * 1024 * 1024)
  const sums = new Map<string, number>()
  let carry = ''
  let header = true
  for (;;) {
    const n = readSync(fd, block, 0, block.length, null)
    if (n === 0) break
    const text = carry + block.toString('latin1', 0, n)
    const last = text.lastIndexOf('\n')
    carry = text.slice(last + 1)
    for (const line of text.slice(0, last).split('\n')) {
      if (header) {
        header = false
        continue
      }
      const fields = line.split(',')
      if (Number(fields[6]) > 2) {
        const k = fields[0] as string
        sums.set(k, (sums.get(k) ?? 0) + Number(fields[8]))
      }
    }
  }
  closeSync(fd)
  return sums
}

export const GROUPBY_SCHEMA = {
  id1: 'utf8',
  id2: 'utf8',
  id3: 'utf8',
  id4: 'int32',
  id5: 'int32',
  id6: 'int32',
  v1: 'int32',
  v2: 'int32',
  v3: 'float64',
} as const
