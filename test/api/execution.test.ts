/**
 * Bug-bash of the execution side, through the public API only: concurrency on the shared pool,
 * abort, reuse after failures, private pools, shutdown, process exit, many partitions, big
 * partitions crossing threads, persist, explain (DOT and rules) and scheduler events.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Dictionary, Int32, makeData, RecordBatch, Table, Utf8, vectorFromArray } from 'apache-arrow'
import { afterAll, describe, expect, test } from 'vitest'
import {
  type ComputeOptions,
  col,
  count,
  createPoolScheduler,
  createSyncScheduler,
  type DataFrame,
  fromArrow,
  fromRecords,
  lit,
  shutdown,
  TsdaskError,
} from '../../src/index.js'
import { defaultRules } from '../../src/optimize/default-rules.js'

// SchedulerEvent itself is not exported from the package root; derive it from the public options.
type SchedulerEvent = Parameters<NonNullable<ComputeOptions['onEvent']>>[0]

afterAll(() => shutdown())

const N = 3000
const rows = Array.from({ length: N }, (_, i) => ({
  g: ['a', 'b', 'c', 'd', null][i % 5] as string | null,
  x: (i * 7919) % 1000,
  y: i % 11 === 0 ? null : (i % 97) / 4,
  s: `s${i % 37}`,
}))
const base = fromRecords(rows, { npartitions: 8 })

// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of queries
const queries: DataFrame<any>[] = [
  base.filter(col('x').gt(500)),
  base.withColumns({ z: col('x').mul(2).add(1) }).select('g', 'z'),
  base.groupBy('g').agg({ n: count(), sx: col('x').sum(), my: col('y').mean() }),
  base.sort('x', { descending: true }).head(7),
  base.sort(['g', 'x']),
  base.head(13),
  base.limit(20, 1500),
  base.agg({ n: count(), mx: col('x').max(), mn: col('y').min() }),
  base.filter(col('s').startsWith('s1')).groupBy('s').agg({ n: count() }),
  base.filter(col('y').isNull()).select('x'),
  base.withColumns({ u: col('s').upper(), l: col('s').length() }).filter(col('l').eq(3)),
  base.filter(col('g').isIn(['a', 'c'])).agg({ t: col('x').sum() }),
  base.rename({ x: 'xx' }).drop('s').filter(col('xx').between(10, 20)),
  base.groupBy('g', 's').agg({ n: count() }).sort('n', { descending: true }).head(5),
  base.filter(col('x').lt(0)),
  base
    .withColumns({ c: col('y').cast('int32') })
    .select('c')
    .head(100),
  base.filter(col('g').eq('b').or(col('x').gt(990))).sort('x'),
  base.select('s').groupBy('s').agg({ n: count() }),
  base
    .withColumns({ k: col('x').mod(3) })
    .groupBy('k')
    .agg({ n: count(), s: col('y').sum() }),
  base.limit(5, N - 2),
]

async function failureOf(promise: Promise<unknown>): Promise<TsdaskError> {
  try {
    await promise
  } catch (error) {
    return error as TsdaskError
  }
  throw new Error('expected a failure')
}

const overflowing = fromRecords(
  Array.from({ length: 400 }, (_, i) => ({ v: i === 350 ? 2_000_000_000 : i })),
  { npartitions: 4 },
).withColumns({ w: col('v').mul(2) })

// biome-ignore lint/suspicious/noExplicitAny: any frame
function fusedTasks(df: DataFrame<any>): number {
  const m = /tasks: \d+ lowered, \d+ after culling, (\d+) after fusion/.exec(df.explain())
  return Number(m![1])
}

const big = fromRecords(
  Array.from({ length: 200_000 }, (_, i) => ({ k: i % 1000, v: i })),
  { npartitions: 64 },
)
const slow = big.withColumns({ w: col('v').mul(3).add(col('k')) }).sort('w', { descending: true })

async function runScript(body: string): Promise<{ code: number | null; out: string; err: string; timedOut: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'tsdask-exit-'))
  const index = new URL('../../src/index.ts', import.meta.url).href
  const script = join(dir, 'script.mjs')
  writeFileSync(script, `import { col, count, fromRecords } from ${JSON.stringify(index)}\n${body}`)
  const root = fileURLToPath(new URL('../..', import.meta.url))
  try {
    return await new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root })
      let out = ''
      let err = ''
      child.stdout.on('data', (d) => {
        out += d
      })
      child.stderr.on('data', (d) => {
        err += d
      })
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        child.kill('SIGKILL')
      }, 20_000)
      child.on('exit', (code) => {
        clearTimeout(timer)
        resolve({ code, out, err, timedOut })
      })
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('concurrent computes', () => {
  test('20 different queries at once, pool and sync mixed, equal running them one by one (sync)', async () => {
    const expected: unknown[] = []
    for (const q of queries) expected.push(await q.toRecords({ scheduler: 'sync' }))
    const got = await Promise.all(queries.map((q, i) => q.toRecords({ scheduler: i % 3 === 0 ? 'sync' : 'pool' })))
    expect(got).toEqual(expected)
    // Spot-check that expected itself is real, not all empty.
    expect((expected[0] as unknown[]).length).toBe(rows.filter((r) => r.x > 500).length)
    expect(expected[7]).toEqual([{ n: BigInt(N), mx: 999, mn: 0 }])
    expect(expected[14]).toEqual([])
    expect((expected[19] as unknown[]).length).toBe(2)
    // Again, all on the pool, twice over (40 at once).
    const twice = await Promise.all([...queries, ...queries].map((q) => q.toRecords()))
    expect(twice).toEqual([...expected, ...expected])
  })

  test('the same query many times at once gives the same result every time', async () => {
    const q = queries[2]!
    const one = await q.toRecords()
    const all = await Promise.all(Array.from({ length: 12 }, () => q.toRecords()))
    for (const r of all) expect(r).toEqual(one)
  })

  // Was a bug: a compute asking for a different `workers` closes the shared pool under computes still running on it
  test('concurrent computes with different `workers` on the shared pool all succeed', async () => {
    const q = queries[2]!
    const expected = await q.toRecords({ scheduler: 'sync' })
    const got = await Promise.all([
      q.toRecords({ workers: 1 }),
      q.toRecords({ workers: 2 }),
      q.toRecords({ workers: 1 }),
    ])
    for (const r of got) expect(r).toEqual(expected)
  })
})

describe('the workers option', () => {
  // Was a bug: workers: 0 is normalised to 1 by the pool but compared raw, so every such compute replaces the shared pool under the others
  test('workers: 0 is rejected clearly (a pool needs at least one worker)', async () => {
    const q = queries[2]!
    const errors = await Promise.all([failureOf(q.toRecords({ workers: 0 })), failureOf(q.toRecords({ workers: 0 }))])
    for (const e of errors) {
      expect(e).toBeInstanceOf(TsdaskError)
      expect(e.code).toBe('INVALID_ARGUMENT')
      expect(e.message).toContain('workers must be a whole number')
    }
  })

  // Was a bug: workers: NaN is accepted, fails with a bare RangeError from setMaxListeners, and leaves the shared pool broken for later default computes
  test('an invalid workers value is rejected clearly and does not poison the shared pool', async () => {
    const error = await failureOf(queries[7]!.toRecords({ workers: Number.NaN }))
    try {
      expect(error).toBeInstanceOf(TsdaskError)
      expect(error.code).toBe('INVALID_ARGUMENT')
    } finally {
      // Whatever happened, a compute without options must work.
      const after = await queries[7]!.toRecords().catch((e: unknown) => e)
      await shutdown()
      expect(after).toEqual([{ n: BigInt(N), mx: 999, mn: 0 }])
    }
  })
})

describe('abort', () => {
  test('aborted before start: rejects with ABORTED and runs nothing', async () => {
    const events: SchedulerEvent[] = []
    for (const scheduler of ['sync', 'pool'] as const) {
      const error = await failureOf(
        queries[2]!.toRecords({ scheduler, signal: AbortSignal.abort(), onEvent: (e) => events.push(e) }),
      )
      expect(error).toBeInstanceOf(TsdaskError)
      expect(error.code).toBe('ABORTED')
    }
    expect(events).toEqual([])
  })

  test('aborted before start: head() and persist() reject too', async () => {
    expect((await failureOf(base.head(3).toRecords({ signal: AbortSignal.abort() }))).code).toBe('ABORTED')
    expect((await failureOf(base.persist({ signal: AbortSignal.abort() }))).code).toBe('ABORTED')
  })

  test('aborted mid-run on the pool and on sync; the scheduler is reusable afterwards', async () => {
    const q = big.withColumns({ w: col('v').mul(3).add(col('k')) }).sort('w', { descending: true })
    for (const scheduler of ['pool', 'sync'] as const) {
      const controller = new AbortController()
      let started = 0
      const pending = q.toRecords({
        scheduler,
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'task-start' && ++started === 3) controller.abort(new Error('user gave up'))
        },
      })
      const error = await failureOf(pending)
      expect(error.code).toBe('ABORTED')
      expect(error.message).toContain('user gave up')
      const again = await queries[7]!.toRecords({ scheduler })
      expect(again).toEqual([{ n: BigInt(N), mx: 999, mn: 0 }])
    }
  })

  test('abort after completion changes nothing, and the signal can be reused only as aborted', async () => {
    const controller = new AbortController()
    const result = await queries[7]!.toRecords({ signal: controller.signal })
    controller.abort()
    expect(result).toEqual([{ n: BigInt(N), mx: 999, mn: 0 }])
    expect((await failureOf(queries[7]!.toRecords({ signal: controller.signal }))).code).toBe('ABORTED')
  })

  // Was a bug: each compute adds an 'abort' listener to the caller's signal; 11+ concurrent computes sharing one signal trigger MaxListenersExceededWarning
  test('one AbortSignal shared by 12 concurrent computes raises no process warning', async () => {
    const warnings: string[] = []
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`)
    process.on('warning', onWarning)
    try {
      const controller = new AbortController()
      const results = await Promise.all(
        Array.from({ length: 12 }, () => queries[7]!.toRecords({ signal: controller.signal })),
      )
      for (const r of results) expect(r).toEqual([{ n: BigInt(N), mx: 999, mn: 0 }])
      await sleep(20)
    } finally {
      process.off('warning', onWarning)
    }
    expect(warnings).toEqual([])
  })

  test('one aborted compute does not disturb concurrent ones on the shared pool', async () => {
    const expected = await Promise.all(queries.slice(0, 6).map((q) => q.toRecords({ scheduler: 'sync' })))
    const controller = new AbortController()
    const doomed = failureOf(
      base
        .withColumns({ z: col('x').add(1) })
        .sort('z')
        .toRecords({ signal: controller.signal }),
    )
    const others = Promise.all(queries.slice(0, 6).map((q) => q.toRecords()))
    controller.abort()
    expect((await doomed).code).toBe('ABORTED')
    expect(await others).toEqual(expected)
  })
})

describe('failing tasks', () => {
  test('an int32 overflow fails with OVERFLOW on sync and pool; both stay usable', async () => {
    for (const scheduler of ['sync', 'pool'] as const) {
      const error = await failureOf(overflowing.toRecords({ scheduler }))
      expect(error).toBeInstanceOf(TsdaskError)
      expect(error.code).toBe('OVERFLOW')
      expect(error.message).toMatch(/int32 overflow in mul: 2000000000 \* 2/)
      expect(error.message).toMatch(/partition 3/)
      const after = await queries[7]!.toRecords({ scheduler })
      expect(after).toEqual([{ n: BigInt(N), mx: 999, mn: 0 }])
    }
  })

  test('private pool with one worker: failure, abort, then correct results; closed pool rejects clearly', async () => {
    const pool = createPoolScheduler({ workers: 1 })
    try {
      expect(pool.workers).toBe(1)
      const error = await failureOf(overflowing.toRecords({ scheduler: pool }))
      expect(error.code).toBe('OVERFLOW')
      const controller = new AbortController()
      const aborted = failureOf(queries[4]!.toRecords({ scheduler: pool, signal: controller.signal }))
      await sleep(5)
      controller.abort()
      expect((await aborted).code).toBe('ABORTED')
      const expected = await Promise.all(queries.map((q) => q.toRecords({ scheduler: 'sync' })))
      const got = await Promise.all(queries.map((q) => q.toRecords({ scheduler: pool })))
      expect(got).toEqual(expected)
    } finally {
      await pool.close()
    }
    await pool.close() // idempotent
    const closed = await failureOf(queries[0]!.toRecords({ scheduler: pool }))
    expect(closed).toBeInstanceOf(TsdaskError)
    expect(closed.message).toMatch(/closed/)
  })

  test('workers: 1 and workers: 3 private pools give equal results (and equal sync)', async () => {
    const one = createPoolScheduler({ workers: 1 })
    const three = createPoolScheduler({ workers: 3 })
    try {
      expect(three.workers).toBe(3)
      const a = await Promise.all(queries.map((q) => q.toRecords({ scheduler: one })))
      const b = await Promise.all(queries.map((q) => q.toRecords({ scheduler: three })))
      const c = await Promise.all(queries.map((q) => q.toRecords({ scheduler: createSyncScheduler() })))
      expect(a).toEqual(c)
      expect(b).toEqual(c)
    } finally {
      await Promise.all([one.close(), three.close()])
    }
  })

  test('closing a private pool while a compute runs rejects that compute, clearly', async () => {
    const pool = createPoolScheduler({ workers: 1 })
    const pending = failureOf(queries[4]!.toRecords({ scheduler: pool }))
    await sleep(1)
    await pool.close()
    const error = await pending
    expect(error).toBeInstanceOf(TsdaskError)
    expect(error.message).toMatch(/closed/)
  })

  test('a throwing onEvent fails the compute with that error, and the pool survives', async () => {
    const boom = new Error('listener broke')
    const error = await failureOf(
      queries[2]!.toRecords({
        onEvent: (e) => {
          if (e.type === 'task-done') throw boom
        },
      }),
    )
    expect(error.message).toContain('listener broke')
    expect(await queries[7]!.toRecords()).toEqual([{ n: BigInt(N), mx: 999, mn: 0 }])
  })
})

describe('shutdown', () => {
  test('shutdown() twice is fine; a compute after it starts a new pool', async () => {
    await queries[0]!.toRecords()
    await shutdown()
    await shutdown()
    expect(await queries[7]!.toRecords()).toEqual([{ n: BigInt(N), mx: 999, mn: 0 }])
    await Promise.all([shutdown(), shutdown()])
    expect(await queries[7]!.toRecords()).toEqual([{ n: BigInt(N), mx: 999, mn: 0 }])
  })

  // Was a bug: a compute in flight when shutdown() is called fails with code INTERNAL and advice to "create a new one with createPoolScheduler()"
  test('shutdown() during a compute: that compute fails with a shutdown/abort error, not INTERNAL', async () => {
    let started = 0
    const pending = failureOf(
      slow.toRecords({ scheduler: 'pool', onEvent: (e) => void (e.type === 'task-start' && started++) }),
    )
    while (started < 2) await sleep(1)
    await shutdown()
    const error = await pending
    expect(error).toBeInstanceOf(TsdaskError)
    expect(error.message).toMatch(/shutdown\(\)/)
    expect(error.code).toBe('ABORTED')
  })

  // Was a bug: every new shared pool adds a process 'beforeExit' listener that shutdown() never removes
  test('compute/shutdown cycles do not accumulate process listeners', async () => {
    const before = process.listenerCount('beforeExit')
    const small = fromRecords([{ a: 1 }, { a: 2 }])
    for (let i = 0; i < 3; i++) {
      expect(await small.agg({ s: col('a').sum() }).toRecords({ workers: 1 })).toEqual([{ s: 3n }])
      await shutdown()
    }
    expect(process.listenerCount('beforeExit')).toBeLessThanOrEqual(before + 1)
  })

  test('a script without shutdown() exits by itself after computing on the pool', async () => {
    const result = await runScript(`
const df = fromRecords(Array.from({ length: 1000 }, (_, i) => ({ g: i % 3, v: i })), { npartitions: 4 })
const r = await df.groupBy('g').agg({ n: count(), s: col('v').sum() }).toRecords({ workers: 2 })
console.log(JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? String(v) : v)))
`)
    expect(result.timedOut).toBe(false)
    expect(result.err).toBe('')
    expect(result.code).toBe(0)
    const sumOf = (g: number) =>
      String(
        Array.from({ length: 1000 }, (_, i) => i)
          .filter((i) => i % 3 === g)
          .reduce((a, b) => a + b, 0),
      )
    expect(JSON.parse(result.out.trim())).toEqual([
      { g: 0, n: '334', s: sumOf(0) },
      { g: 1, n: '333', s: sumOf(1) },
      { g: 2, n: '333', s: sumOf(2) },
    ])
  }, 30_000)

  test('a script without shutdown() exits by itself after an aborted and a failed compute', async () => {
    const result = await runScript(`
const df = fromRecords(Array.from({ length: 100000 }, (_, i) => ({ v: i })), { npartitions: 32 })
const c = new AbortController()
let n = 0
const q = df.withColumns({ w: col('v').mul(3) }).sort('w')
const a = await q.toRecords({ signal: c.signal, onEvent: (e) => { if (e.type === 'task-start' && ++n === 2) c.abort() } }).catch((e) => e.code)
const b = await fromRecords([{ v: 2000000000 }]).withColumns({ w: col('v').mul(2) }).toRecords().catch((e) => e.code)
const r = await df.agg({ n: count() }).toRecords()
console.log(a, b, String(r[0].n))
`)
    expect(result.timedOut).toBe(false)
    expect(result.err).toBe('')
    expect(result.code).toBe(0)
    expect(result.out.trim()).toBe('ABORTED OVERFLOW 100000')
  }, 30_000)
})

describe('partitions', () => {
  test('2000 partitions on pool and sync', async () => {
    const many = fromRecords(
      Array.from({ length: 4000 }, (_, i) => ({ k: i % 10, v: i })),
      { npartitions: 2000 },
    )
    expect(many.npartitions).toBe(2000)
    const q = many
      .filter(col('v').mod(2).eq(0))
      .groupBy('k')
      .agg({ n: count(), s: col('v').sum() })
    const expected = [0, 2, 4, 6, 8].map((k) => {
      const vs = Array.from({ length: 4000 }, (_, i) => i).filter((i) => i % 10 === k && i % 2 === 0)
      return { k, n: BigInt(vs.length), s: BigInt(vs.reduce((a, b) => a + b, 0)) }
    })
    expect(await q.toRecords({ scheduler: 'sync' })).toEqual(expected)
    expect(await q.toRecords()).toEqual(expected)
    const sorted = await many.sort('v', { descending: true }).toRecords()
    expect(sorted.length).toBe(4000)
    expect(sorted[0]).toEqual({ k: 9, v: 3999 })
    expect(sorted[3999]).toEqual({ k: 0, v: 0 })
    const all = await many.withColumns({ w: col('v').add(1) }).compute()
    expect(all.numRows).toBe(4000)
    expect(all.getChild('w')!.get(2999)).toBe(3000)
    const tail = await many.limit(3, 3997).toRecords()
    expect(tail).toEqual([
      { k: 7, v: 3997 },
      { k: 8, v: 3998 },
      { k: 9, v: 3999 },
    ])
  })

  test('every dtype, with nulls, in odd-sized slices, crosses threads intact (pool = sync = input)', async () => {
    const n = 1001
    const data = Array.from({ length: n }, (_, i) => ({
      b: i % 7 === 0 ? null : i % 3 === 0,
      i32: i % 5 === 0 ? null : i - 500,
      i64: i % 9 === 0 ? null : BigInt(i) * 10_000_000_000n,
      f: i % 4 === 0 ? null : i / 3,
      s: i % 6 === 0 ? null : `v${i % 13}é`,
      d: i % 8 === 0 ? null : new Date(Date.UTC(2020, 0, 1 + (i % 400))),
      t: i % 10 === 0 ? null : new Date(1_600_000_000_000 + i * 1234),
    }))
    const df = fromRecords(data, {
      npartitions: 13,
      schema: {
        b: 'bool',
        i32: 'int32',
        i64: 'int64',
        f: 'float64',
        s: 'utf8',
        d: 'date32',
        t: 'timestamp[ms]',
      },
    })
    // A task that passes every column through (a filter that keeps every row).
    const q = df.filter(col('i32').isNull().or(col('i32').isNull().not()))
    const pool = await q.toRecords()
    const sync = await q.toRecords({ scheduler: 'sync' })
    expect(pool).toEqual(sync)
    expect(pool).toEqual(data)
    // Dictionary-encoded strings from Arrow, several partitions, through a filter that drops rows.
    const dict = vectorFromArray(
      Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : `k${i % 4}`)),
      new Dictionary(new Utf8(), new Int32()),
    )
    const arrowDf = fromArrow(new Table({ k: dict }), { npartitions: 7 })
    const kept = await arrowDf.filter(col('k').neq('k1')).toRecords()
    expect(kept).toEqual(
      Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : `k${i % 4}`))
        .filter((k) => k !== 'k1' && k !== null)
        .map((k) => ({ k })),
    )
  })

  test('one large partition (5e6 rows, int64 + strings) crosses threads intact', async () => {
    const n = 5_000_000
    const ints = new BigInt64Array(n)
    for (let i = 0; i < n; i++) ints[i] = BigInt(i) * 1_000_003n - 7n
    // utf8 column: "r<i % 1000>"
    const words = Array.from({ length: 1000 }, (_, i) => new TextEncoder().encode(`r${i}`))
    const offsets = new Int32Array(n + 1)
    let total = 0
    for (let i = 0; i < n; i++) {
      total += words[i % 1000]!.length
      offsets[i + 1] = total
    }
    const bytes = new Uint8Array(total)
    for (let i = 0; i < n; i++) bytes.set(words[i % 1000]!, offsets[i]!)
    const intData = vectorFromArray(ints).data[0]!
    const strData = makeData({ type: new Utf8(), length: n, valueOffsets: offsets, data: bytes })
    const table = new Table([
      new RecordBatch({
        i: intData,
        s: strData,
      } as never),
    ])
    const big = fromArrow(table)
    expect(big.schema).toEqual({ i: 'int64', s: 'utf8' })
    // Identity-ish task on the pool: the whole partition goes out and comes back.
    const out = await big.withColumns({ j: col('i').add(lit(1n)) }).compute()
    expect(out.numRows).toBe(n)
    const j = out.getChild('j')!
    const s = out.getChild('s')!
    for (const at of [0, 1, 999, 1000, 2_345_678, n - 1]) {
      expect(j.get(at)).toBe(BigInt(at) * 1_000_003n - 6n)
      expect(s.get(at)).toBe(`r${at % 1000}`)
    }
    const agg = await big
      .filter(col('s').eq('r7'))
      .agg({ n: count(), t: col('i').sum() })
      .toRecords()
    let t = 0n
    for (let i = 7; i < n; i += 1000) t += BigInt(i) * 1_000_003n - 7n
    expect(agg).toEqual([{ n: BigInt(n / 1000), t }])
  }, 45_000)
})

describe('persist', () => {
  test('a persisted frame feeds several queries, on pool and sync, equal to the unpersisted ones', async () => {
    const q = base.filter(col('x').gt(100)).withColumns({ z: col('x').mul(3) })
    const persisted = await q.persist()
    expect(persisted.npartitions).toBe(8)
    for (const scheduler of ['pool', 'sync'] as const) {
      expect(await persisted.toRecords({ scheduler })).toEqual(await q.toRecords({ scheduler: 'sync' }))
      expect(
        await persisted
          .groupBy('g')
          .agg({ s: col('z').sum() })
          .toRecords({ scheduler }),
      ).toEqual(
        await q
          .groupBy('g')
          .agg({ s: col('z').sum() })
          .toRecords({ scheduler: 'sync' }),
      )
      expect(await persisted.sort('z').head(4).toRecords({ scheduler })).toEqual(
        await q.sort('z').head(4).toRecords({ scheduler: 'sync' }),
      )
      expect(await persisted.head(4).toRecords({ scheduler })).toEqual(await q.head(4).toRecords({ scheduler: 'sync' }))
    }
    const concurrent = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        persisted
          .filter(col('z').gt(i * 300))
          .agg({ n: count() })
          .toRecords(),
      ),
    )
    concurrent.forEach((r, i) => {
      expect(r).toEqual([{ n: BigInt(rows.filter((row) => row.x > 100 && row.x * 3 > i * 300).length) }])
    })
  })

  test('persist of a persisted frame, and of a persisted frame after a selection', async () => {
    const p1 = await base.persist()
    const p2 = await p1.persist({ scheduler: 'sync' })
    const p3 = await p2.select('x', 'g').persist()
    expect(p2.npartitions).toBe(8)
    expect(await p2.toRecords()).toEqual(await base.toRecords({ scheduler: 'sync' }))
    expect(await p3.toRecords()).toEqual(rows.map((r) => ({ x: r.x, g: r.g })))
    const p4 = await p3.groupBy('g').agg({ n: count() }).persist()
    expect(await p4.toRecords()).toEqual([
      { g: 'a', n: 600n },
      { g: 'b', n: 600n },
      { g: 'c', n: 600n },
      { g: 'd', n: 600n },
      { g: null, n: 600n },
    ])
  })
})

describe('explain', () => {
  /** `tasks` task nodes, plus one node per in-memory input partition the graph reads. */
  function checkDot(dot: string, tasks: number, inputs = 0): void {
    expect(dot.startsWith('digraph "tsdask" {\n')).toBe(true)
    expect(dot.trimEnd().endsWith('}')).toBe(true)
    // Braces balanced (outside quoted strings).
    const unquoted = dot.replace(/"(?:[^"\\]|\\.)*"/g, '""')
    expect(unquoted.split('{').length).toBe(unquoted.split('}').length)
    const nodeLines = dot.split('\n').filter((l) => /^ {2}"(?:[^"\\]|\\.)*" \[label=/.test(l))
    expect(nodeLines.length).toBe(tasks + inputs)
    const declared = new Set(nodeLines.map((l) => /^ {2}("(?:[^"\\]|\\.)*")/.exec(l)![1]))
    const edges = dot
      .split('\n')
      .map((l) => /^ {2}("(?:[^"\\]|\\.)*") -> ("(?:[^"\\]|\\.)*");$/.exec(l))
      .filter((m) => m !== null)
    for (const e of edges) {
      expect(declared.has(e[1]!), `edge source ${e[1]} is a declared node`).toBe(true)
      expect(declared.has(e[2]!), `edge target ${e[2]} is a declared node`).toBe(true)
    }
  }

  test('dot output of a CSV query is well-formed: one node per task, edges between declared nodes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdask-dot-'))
    try {
      const path = join(dir, 'd.csv')
      writeFileSync(path, `a,b\n${Array.from({ length: 50 }, (_, i) => `${i},x${i % 3}`).join('\n')}\n`)
      // Use readCsv through a tiny blocksize for several partitions.
      return import('../../src/index.js').then(({ readCsv }) => {
        const df = readCsv(path, { schema: { a: 'int32', b: 'utf8' }, blocksize: 64 })
        const q = df.filter(col('a').gt(3)).groupBy('b').agg({ n: count() })
        const dot = q.explain({ format: 'dot' })
        checkDot(dot, fusedTasks(q))
      })
    } finally {
      // readCsv plans chunks eagerly; the file is not read by explain.
      setTimeout(() => rmSync(dir, { recursive: true, force: true }), 100)
    }
  })

  // Was a bug: explain({ format: 'dot' }) draws edges from in-memory partitions (memory-…) that are never declared as nodes
  test('dot output of an in-memory query: every edge refers to a declared node', () => {
    const q = base.filter(col('x').gt(3)).groupBy('g').agg({ n: count() })
    // base has 8 in-memory partitions: each is drawn as an input node.
    checkDot(q.explain({ format: 'dot' }), fusedTasks(q), 8)
  })

  test('dot output escapes quotes in labels and keys', () => {
    const q = fromRecords([{ 'a"b': 1 }]).withColumns({ c: col('a"b').add(1) })
    const dot = q.explain({ format: 'dot' })
    const unquoted = dot.replace(/"(?:[^"\\]|\\.)*"/g, '""')
    expect(unquoted.split('{').length).toBe(unquoted.split('}').length)
    expect(unquoted).not.toMatch(/[^\s\w=\-[\];,{}>"#()]/)
  })

  test('explain({ rules: true }) lists every rule in every pass', () => {
    const q = base.filter(col('x').gt(1)).filter(col('y').gt(2)).select('x', 'g')
    const text = q.explain({ rules: true })
    const section = text.split('== Optimizer rules ==\n')[1]!.split('\n\n== Physical plan')[0]!
    const headers = section.split('\n').filter((l) => l.startsWith('pass '))
    const byPass = new Map<string, string[]>()
    for (const h of headers) {
      const m = /^pass (\d+), after ([\w-]+):/.exec(h)!
      byPass.set(m[1]!, [...(byPass.get(m[1]!) ?? []), m[2]!])
    }
    expect(byPass.size).toBeGreaterThanOrEqual(2) // something changed in pass 1, so pass 2 checks the fixed point
    for (const rules of byPass.values()) expect(rules).toEqual(defaultRules.map((r) => r.name))
    const last = [...byPass.keys()].at(-1)!
    expect(headers.filter((h) => h.startsWith(`pass ${last},`)).every((h) => h.endsWith('unchanged'))).toBe(true)
    expect(section).toContain('x > 1 AND y > 2')
  })
})

describe('events', () => {
  const eventQueries = [
    queries[0]!,
    queries[2]!,
    queries[4]!,
    queries[8]!,
    queries[13]!,
    base.sort('x').limit(10),
    base.filter(col('x').gt(1)).select('x'),
  ]

  test('every task-start has one task-done; counts match explain()', async () => {
    for (const scheduler of ['sync', 'pool'] as const) {
      for (const q of eventQueries) {
        const events: SchedulerEvent[] = []
        await q.toRecords({ scheduler, onEvent: (e) => events.push(e) })
        const starts = events.filter((e) => e.type === 'task-start').map((e) => e.key)
        const dones = events.filter((e) => e.type === 'task-done')
        expect(new Set(starts).size).toBe(starts.length)
        expect(dones.map((e) => e.key).sort()).toEqual([...starts].sort())
        expect(starts.length).toBe(fusedTasks(q))
        const last = dones.at(-1)
        if (last?.type === 'task-done') expect(last.done).toBe(last.total)
        // Every release is of a finished, non-output key (or one part of it), at most once.
        const released = events.flatMap((e) => (e.type === 'release' ? [e] : []))
        const names = released.map((e) => (e.part === undefined ? e.key : `${e.key}[${e.part}]`))
        expect(new Set(names).size).toBe(names.length)
        for (const e of released) expect(starts).toContain(e.key)
      }
    }
  })

  test('with fuse: false every culled task runs once; done counts 1..total in order', async () => {
    const q = base
      .filter(col('x').gt(10))
      .withColumns({ z: col('x').add(1) })
      .groupBy('g')
      .agg({ s: col('z').sum() })
    const culled = Number(/(\d+) after culling/.exec(q.explain())![1])
    for (const scheduler of ['sync', 'pool'] as const) {
      const events: SchedulerEvent[] = []
      const r = await q.toRecords({ scheduler, fuse: false, onEvent: (e) => events.push(e) })
      expect(r).toEqual(await q.toRecords({ scheduler: 'sync' }))
      const dones = events.filter((e) => e.type === 'task-done')
      expect(dones.length).toBe(culled)
      expect(dones.map((e) => (e.type === 'task-done' ? e.done : 0))).toEqual(
        Array.from({ length: culled }, (_, i) => i + 1),
      )
      for (const e of dones) if (e.type === 'task-done') expect(e.total).toBe(culled)
      // At the end only the output is held.
      const last = dones.at(-1)
      if (last?.type === 'task-done') expect(last.held).toBe(1)
    }
  })

  test('head() over in-memory partitions: events stay consistent across rounds', async () => {
    const events: SchedulerEvent[] = []
    const r = await base
      .filter(col('x').gt(900))
      .head(50)
      .toRecords({ onEvent: (e) => events.push(e) })
    expect(r).toEqual(
      rows
        .filter((row) => row.x > 900)
        .slice(0, 50)
        .map((row) => ({ ...row })),
    )
    const starts = events.filter((e) => e.type === 'task-start').length
    const dones = events.filter((e) => e.type === 'task-done').length
    expect(starts).toBe(dones)
    expect(starts).toBeGreaterThan(0)
  })
})
