/**
 * readCsv on real files in a temp directory, cut into many small chunks: the same answers on both
 * schedulers as a plain JS computation over the same rows, and `head()` that reads only what it
 * needs.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { type ComputeOptions, col, count, readCsv, shutdown } from '../../src/index.js'

const dir = mkdtempSync(join(tmpdir(), 'tsdask-api-csv-'))
afterAll(async () => {
  await shutdown()
  rmSync(dir, { recursive: true, force: true })
})

interface Trip {
  id: number
  vendor: string | null
  fare: number | null
  paid: boolean
  day: string
}

const VENDORS = ['CMT', 'VTS', 'DDS', 'ÆØÅ', 'a,b']

function trip(i: number): Trip {
  return {
    id: i,
    vendor: i % 11 === 0 ? null : (VENDORS[(i * 7) % VENDORS.length] as string),
    fare: i % 13 === 0 ? null : ((i * 37) % 100) + 0.25,
    paid: i % 3 !== 0,
    day: `2024-0${1 + (i % 9)}-1${i % 10}`,
  }
}

function csvLine(t: Trip): string {
  const vendor = t.vendor === null ? '' : t.vendor.includes(',') ? `"${t.vendor}"` : t.vendor
  return `${t.id},${vendor},${t.fare ?? ''},${t.paid},${t.day}`
}

function writeTrips(name: string, rows: readonly Trip[]): string {
  const path = join(dir, name)
  writeFileSync(path, `id,vendor,fare,paid,day\n${rows.map(csvLine).join('\n')}\n`)
  return path
}

const trips = Array.from({ length: 300 }, (_, i) => trip(i))
const tripsPath = writeTrips('trips.csv', trips)

const schedulers = ['sync', 'pool'] as const

describe('readCsv in small chunks', () => {
  test('infers the schema and reads every row exactly once across 100+ chunks', async () => {
    const df = readCsv(tripsPath, { blocksize: 64 })
    expect(df.schema).toEqual({ id: 'int32', vendor: 'utf8', fare: 'float64', paid: 'bool', day: 'date32' })
    expect(df.npartitions).toBe(Math.ceil(statSync(tripsPath).size / 64))
    expect(df.npartitions).toBeGreaterThan(100)
    const rows = await df.select('id', 'vendor', 'fare').toRecords({ scheduler: 'sync' })
    expect(rows).toEqual(trips.map((t) => ({ id: t.id, vendor: t.vendor, fare: t.fare })))
  })

  test('filter → groupBy → agg gives the same rows on sync and pool, and matches plain JS', async () => {
    const df = readCsv(tripsPath, { blocksize: 64 })
    const query = df
      .filter(col('paid').and(col('fare').gt(20)))
      .withColumns({ cents: col('fare').mul(100) })
      .groupBy('vendor')
      .agg({ n: count(), total: col('cents').sum(), top: col('fare').max(), ids: col('id').sum() })

    const expected = new Map<string | null, { n: bigint; total: number; top: number; ids: bigint }>()
    for (const t of trips) {
      if (!t.paid || t.fare === null || t.fare <= 20) continue
      const g = expected.get(t.vendor) ?? { n: 0n, total: 0, top: -Infinity, ids: 0n }
      expected.set(t.vendor, {
        n: g.n + 1n,
        total: g.total + t.fare * 100,
        top: Math.max(g.top, t.fare),
        ids: g.ids + BigInt(t.id),
      })
    }
    const byKey = [...expected.entries()].sort(([a], [b]) =>
      a === null ? 1 : b === null ? -1 : Buffer.compare(Buffer.from(a), Buffer.from(b)),
    )

    const results = []
    for (const scheduler of schedulers) {
      const rows = await query.toRecords({ scheduler })
      expect(rows.map((r) => r.vendor)).toEqual(byKey.map(([k]) => k))
      rows.forEach((r, i) => {
        const e = byKey[i]?.[1]
        expect(r.n).toBe(e?.n)
        expect(r.ids).toBe(e?.ids)
        expect(r.top).toBe(e?.top)
        expect(r.total).toBeCloseTo(e?.total ?? Number.NaN, 6)
      })
      results.push(rows)
    }
    expect(results[1]).toEqual(results[0])
  })

  test('a typed schema overrides inference; sort and limit on both schedulers', async () => {
    const df = readCsv(tripsPath, {
      blocksize: 128,
      schema: { id: 'int64', vendor: 'utf8', fare: 'float64', paid: 'bool', day: 'utf8' },
    })
    expect(df.schema).toEqual({ id: 'int64', vendor: 'utf8', fare: 'float64', paid: 'bool', day: 'utf8' })
    const query = df
      .filter(col('day').startsWith('2024-03'))
      .sort([{ column: 'fare', descending: true }, 'id'])
      .limit(5, 1)
      .select('id', 'fare')
    const expected = trips
      .filter((t) => t.day.startsWith('2024-03'))
      .sort((a, b) => (a.fare === b.fare ? a.id - b.id : a.fare === null ? 1 : b.fare === null ? -1 : b.fare - a.fare))
      .slice(1, 6)
      .map((t) => ({ id: BigInt(t.id), fare: t.fare }))
    for (const scheduler of schedulers) expect(await query.toRecords({ scheduler })).toEqual(expected)
  })

  test('a glob over several files reads them all', async () => {
    const sub = join(dir, 'parts')
    mkdirSync(sub)
    writeFileSync(join(sub, 'a.csv'), 'x,y\n1,p\n2,q\n')
    writeFileSync(join(sub, 'b.csv'), 'x,y\n3,r\n')
    const rows = await readCsv(join(sub, '*.csv'), { blocksize: 4 })
      .agg({ n: count(), s: col('x').sum() })
      .toRecords({ scheduler: 'pool' })
    expect(rows).toEqual([{ n: 3n, s: 6n }])
  })

  // Chunks big enough that every one dictionary-encodes, each with its own dictionary.
  test('reading a low-cardinality string column in a few large chunks', async () => {
    const rows = await readCsv(tripsPath, { blocksize: 2048 }).select('vendor').toRecords({ scheduler: 'sync' })
    expect(rows).toHaveLength(trips.length)
  })
})

describe('head() reads only what it needs', () => {
  // A narrow file, so the first 64-byte chunk holds more than 5 rows; the fewest rows that make
  // it exactly 64 chunks of 64 bytes.
  const lines = ['a,b']
  for (let bytes = 4, i = 0; bytes <= 63 * 64; i++) {
    const line = `${i},${i % 7}`
    lines.push(line)
    bytes += line.length + 1
  }
  const narrow = join(dir, 'sixty-four.csv')
  writeFileSync(narrow, `${lines.join('\n')}\n`)

  const readTasksOf = async (run: (onEvent: ComputeOptions['onEvent']) => Promise<unknown>) => {
    const labels: string[] = []
    await run((e) => {
      if (e.type === 'task-start') labels.push(e.label)
    })
    return labels.filter((l) => l.includes('read-csv'))
  }

  test.each(schedulers)('head(5) of a 64-chunk CSV runs exactly one read-csv task (%s)', async (scheduler) => {
    const df = readCsv(narrow, { blocksize: 64 })
    expect(df.npartitions).toBe(64)
    let rows: unknown[] = []
    const reads = await readTasksOf(async (onEvent) => {
      rows = await df.head(5).toRecords({ scheduler, ...(onEvent && { onEvent }) })
    })
    expect(rows).toEqual([0, 1, 2, 3, 4].map((a) => ({ a, b: a % 7 })))
    expect(reads).toHaveLength(1)
  })

  test('computing the whole file runs all 64', async () => {
    const reads = await readTasksOf((onEvent) =>
      readCsv(narrow, { blocksize: 64 }).toRecords({ scheduler: 'sync', ...(onEvent && { onEvent }) }),
    )
    expect(reads).toHaveLength(64)
  })

  test('a head the first chunk cannot fill reads a few more chunks, not all', async () => {
    const df = readCsv(tripsPath, { blocksize: 64 })
    let rows: Record<string, unknown>[] = []
    const reads = await readTasksOf(async (onEvent) => {
      rows = await df
        .filter(col('id').gte(20))
        .head(3)
        .toRecords({ scheduler: 'sync', ...(onEvent && { onEvent }) })
    })
    expect(rows.map((r) => r.id)).toEqual([20, 21, 22])
    expect(reads.length).toBeGreaterThan(1)
    expect(reads.length).toBeLessThan(df.npartitions / 2)
  })
})
