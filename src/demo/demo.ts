/**
 * `npm run demo`: generates a sample trips CSV (once, in the OS temp folder), then runs a typed
 * query end to end on the worker pool and prints its plan and result.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { col, count, readCsv, shutdown } from '../index.js'

const ROWS = 500_000
const file = path.join(tmpdir(), 'tsdask-demo', `trips-${ROWS}.csv`)

function generate(target: string, rows: number): void {
  mkdirSync(path.dirname(target), { recursive: true })
  const vendors = ['CMT', 'VTS', 'DDS', 'NYC']
  const payments = ['card', 'cash', 'no charge', 'dispute']
  // mulberry32: a small seeded generator, so every machine generates the same file.
  let seed = 42
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const lines = ['vendor,pickup_date,passengers,distance,fare,tip,payment']
  for (let i = 0; i < rows; i++) {
    const day = 1 + Math.floor(random() * 28)
    const distance = Math.round(random() * 2000) / 100
    const fare = Math.round((2.5 + distance * 2.1 + random() * 5) * 100) / 100
    const tip = random() < 0.1 ? '' : String(Math.round(fare * random() * 30) / 100)
    const vendor = vendors[Math.floor(random() * vendors.length)]
    const payment = payments[Math.floor(random() * payments.length)]
    lines.push(
      `${vendor},2024-01-${String(day).padStart(2, '0')},${1 + Math.floor(random() * 4)},${distance},${fare},${tip},${payment}`,
    )
  }
  writeFileSync(target, `${lines.join('\n')}\n`)
}

if (!existsSync(file)) {
  console.log(`generating ${file} (${ROWS.toLocaleString()} rows)…`)
  generate(file, ROWS)
}

const trips = readCsv(file, {
  blocksize: '4MB',
  schema: {
    vendor: 'utf8',
    pickup_date: 'date32',
    passengers: 'int32',
    distance: 'float64',
    fare: 'float64',
    tip: 'float64',
    payment: 'utf8',
  },
})

const perVendor = trips
  .filter(col('fare').gt(10).and(col('payment').eq('card')))
  .withColumns({ tipPct: col('tip').div(col('fare')).mul(100) })
  .groupBy('vendor')
  .agg({
    trips: count(),
    avgFare: col('fare').mean(),
    avgTipPct: col('tipPct').mean(),
    maxDistance: col('distance').max(),
  })
  .sort('trips', { descending: true })

console.log(perVendor.explain())
const started = performance.now()
const rows = await perVendor.toRecords()
const ms = performance.now() - started
console.log(`\n${trips.npartitions} partitions, computed on the worker pool in ${ms.toFixed(0)} ms:`)
console.table(rows)
await shutdown()
