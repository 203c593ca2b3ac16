/**
 * CSV parse throughput, one thread. Generates ~100 MB of db-benchmark group-by style CSV into
 * bench/data/ (gitignored; reused when present), then reads it with readCsvChunk in 64 MB chunks,
 * all columns and 2 columns, next to two floors run in the same process: reading the file and
 * counting LF bytes with a plain loop, and the same with Buffer.indexOf (memchr).
 *
 * Run: node --import tsx bench/csv-parse.bench.ts [sizeMB]
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inferCsvSchema, planCsvChunks, readCsvChunk } from '../src/io/index.js'
import type { Schema } from '../src/types/schema.js'

const targetMB = Number(process.argv[2] ?? 100)
const dataDir = join(dirname(fileURLToPath(import.meta.url)), 'data')
const path = join(dataDir, `groupby-${targetMB}mb.csv`)

function generate(): void {
  mkdirSync(dataDir, { recursive: true })
  const fd = openSync(path, 'w')
  let seed = 42
  const rand = (range: number) => {
    const n = Math.max(1, Math.floor(range))
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return 1 + (seed % n)
  }
  const pad = (n: number, w: number) => String(n).padStart(w, '0')
  const rows = Math.round((targetMB * 1e6) / 50.5)
  writeSync(fd, 'id1,id2,id3,id4,id5,id6,v1,v2,v3\n')
  let batch: string[] = []
  for (let i = 0; i < rows; i++) {
    const v3 = (rand(100_000_000) / 1_000_000).toFixed(6)
    batch.push(
      `id${pad(rand(100), 3)},id${pad(rand(100), 3)},id${pad(rand(rows / 100), 10)},${rand(100)},${rand(100)},` +
        `${rand(rows / 100)},${rand(5)},${rand(15)},${v3}\n`,
    )
    if (batch.length === 10_000) {
      writeSync(fd, batch.join(''))
      batch = []
    }
  }
  writeSync(fd, batch.join(''))
  closeSync(fd)
}

function readAll(schema: Schema, columns: number[]): number {
  let rows = 0
  for (const chunk of planCsvChunks([path], 64 * 1024 * 1024)) {
    const batch = readCsvChunk({
      path,
      start: chunk.start,
      end: chunk.end,
      fileSchema: schema,
      columns,
      delimiter: ',',
      quote: '"',
      header: true,
      nullValues: ['', 'NA', 'N/A', 'null', 'NULL'],
    })
    rows += batch.numRows
  }
  return rows
}

function countNewlinesLoop(): number {
  const buf = readFileSync(path)
  let n = 0
  for (let i = 0; i < buf.length; i++) if (buf[i] === 10) n++
  return n
}

function countNewlinesIndexOf(): number {
  const buf = readFileSync(path)
  let n = 0
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++
  return n
}

/** Best of `repeats` by wall time, and best by process CPU time (steadier on a shared machine). */
function best(run: () => number, repeats = 3): { ms: number; cpuMs: number; result: number } {
  let ms = Number.POSITIVE_INFINITY
  let cpuMs = Number.POSITIVE_INFINITY
  let result = 0
  for (let r = 0; r < repeats; r++) {
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    result = run()
    ms = Math.min(ms, performance.now() - t0)
    const cpu = process.cpuUsage(cpu0)
    cpuMs = Math.min(cpuMs, (cpu.user + cpu.system) / 1000)
  }
  return { ms, cpuMs, result }
}

if (!existsSync(path)) generate()
const bytes = statSync(path).size
const mb = bytes / 1e6
const { schema } = inferCsvSchema([path])
console.log(`file: ${path} (${mb.toFixed(1)} MB); schema: ${schema.map((f) => `${f.name}:${f.dtype}`).join(', ')}`)

const cases: [string, () => number][] = [
  ['floor: read + count LF (byte loop)', countNewlinesLoop],
  ['floor: read + count LF (indexOf)', countNewlinesIndexOf],
  [
    'tsdask readCsvChunk, all 9 columns',
    () =>
      readAll(
        schema,
        schema.map((_, i) => i),
      ),
  ],
  ['tsdask readCsvChunk, 2 columns (id1, v1)', () => readAll(schema, [0, 6])],
  ['tsdask readCsvChunk, 1 column (v3 float)', () => readAll(schema, [8])],
]
const table: Record<string, Record<string, number | string>> = {}
let floor = 0
for (const [name, run] of cases) {
  const { ms, cpuMs, result } = best(run)
  const rate = mb / (ms / 1000)
  if (floor === 0) floor = rate
  table[name] = {
    'wall ms': Math.round(ms),
    'MB/s': Math.round(rate),
    'MB/s (cpu time)': Math.round(mb / (cpuMs / 1000)),
    'vs byte loop': (rate / floor).toFixed(2),
    rows: result,
  }
}
console.table(table)
