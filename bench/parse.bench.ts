/**
 * Query parse time: a ~2 KB SQL query, after warm-up, through each stage of the front end (lex,
 * lex + parse to the clause tree, whose expressions are built while parsing; the clause tree to a
 * LogicalPlan alone, with name resolution; the whole parseSql), next to
 * JSON.parse of a 2 KB document as a floor run in the same process. Reports the median time per
 * query over many repetitions, and the fastest run (a steadier figure on a busy machine).
 *
 * It measures the compiled library in dist/ (what users run): under tsx, esbuild's keepNames
 * wraps every closure the parser creates in a `__name` call, which makes parsing several times
 * slower and says nothing about tsdask.
 *
 * Run: npm run build && node --import tsx bench/parse.bench.ts [repetitions]
 */
import { fromRecords } from '../dist/index.js'
import { parseSql } from '../dist/parse/index.js'
import { lexQuery } from '../dist/parse/lexer.js'
import { parseStatement } from '../dist/parse/parser.js'
import { toPlan } from '../dist/parse/to-plan.js'

const repetitions = Number(process.argv[2] ?? 2000)

const trips = fromRecords([{ vendor: 'CMT', fare: 12.5, tip: 2, passengers: 1, day: new Date('2024-01-02T00:00:00Z') }])
const tables = { trips: trips.plan }

function twoKilobyteQuery(): string {
  const items: string[] = ['vendor']
  const conditions: string[] = []
  for (let i = 0; items.join(', ').length < 900; i++) {
    items.push(`sum(fare * ${i + 1} + tip / ${i + 2}) AS total_${i}`, `max(coalesce(tip, ${i}.5)) AS top_${i}`)
  }
  for (let i = 0; conditions.join(' ').length < 800; i++) {
    conditions.push(
      `(fare BETWEEN ${i} AND ${i + 10} OR passengers IN (${i}, ${i + 1}, ${i + 2}) OR starts_with(vendor, 'V${i}')) AND tip IS NOT NULL`,
    )
  }
  return `-- a generated query
SELECT ${items.join(',\n  ')}
FROM trips
WHERE ${conditions.join('\n  AND ')} AND day >= DATE '2024-01-01'
GROUP BY vendor
ORDER BY total_0 DESC NULLS FIRST, vendor
LIMIT 100`
}

const query = twoKilobyteQuery()
const json = JSON.stringify({
  items: Array.from({ length: 60 }, (_, i) => ({ name: `total_${i}`, op: 'sum', k: i })),
}).slice(0, 2048)
const jsonDoc = JSON.stringify({ text: json })

interface Timing {
  readonly median: number
  readonly best: number
}

function timing(run: () => unknown): Timing {
  for (let i = 0; i < 200; i++) run() // warm-up: JIT and the parser's one-time grammar analysis
  const times: number[] = []
  for (let i = 0; i < repetitions; i++) {
    const t0 = performance.now()
    run()
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return { median: times[Math.floor(times.length / 2)]!, best: times[0]! }
}

const source = { text: query, what: 'SQL query' }
const statement = parseStatement(source)
const tableMap = new Map(Object.entries(tables))
const rows = [
  { stage: 'JSON.parse (2 KB floor)', ms: timing(() => JSON.parse(jsonDoc)) },
  { stage: 'lex', ms: timing(() => lexQuery(query)) },
  { stage: 'lex + parse (expressions built)', ms: timing(() => parseStatement(source)) },
  { stage: 'clause tree → LogicalPlan (alone)', ms: timing(() => toPlan(statement, source, tableMap)) },
  { stage: 'parseSql → LogicalPlan (all)', ms: timing(() => parseSql(query, tables)) },
]
console.log(
  `query: ${query.length} characters, ${lexQuery(query).tokens.length} tokens; median of ${repetitions} runs after warm-up`,
)
console.table(
  rows.map((r) => ({
    stage: r.stage,
    'ms / query (median)': r.ms.median.toFixed(4),
    'ms (best run)': r.ms.best.toFixed(4),
    'vs JSON.parse': (r.ms.median / rows[0]!.ms.median).toFixed(1),
  })),
)
