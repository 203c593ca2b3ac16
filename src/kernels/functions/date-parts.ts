/**
 * year / month / day of a date32 (days since 1970-01-01) or timestamp[ms] (UTC), as int64 like
 * DuckDB's BIGINT results. Civil dates from day numbers with Howard Hinnant's `civil_from_days`
 * (proleptic Gregorian, exact for every int32 day), no Date objects in the loop.
 */
import { TsdaskError } from '../../util/errors.js'
import type { Col, Int64Col } from '../column.js'

export type DatePart = 'year' | 'month' | 'day'

const MS_PER_DAY = 86_400_000

/** [year, month 1-12, day 1-31] of a day number. */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day]
}

const PART_INDEX: Record<DatePart, 0 | 1 | 2> = { year: 0, month: 1, day: 2 }

export function datePart(part: DatePart, col: Col): Int64Col {
  const n = col.length
  const out = new BigInt64Array(n)
  const k = PART_INDEX[part]
  let dayOf: (i: number) => number
  if (col.kind === 'date32') {
    const v = col.values
    dayOf = (i) => v[i]!
  } else if (col.kind === 'timestamp[ms]') {
    const v = col.values
    dayOf = (i) => Math.floor(Number(v[i]!) / MS_PER_DAY)
  } else throw new TsdaskError('INTERNAL', `${part} over ${col.kind}: lowering must give a date32 or timestamp`)
  const valid = col.valid
  for (let i = 0; i < n; i++) {
    if (valid !== null && !valid[i]) continue
    out[i] = BigInt(civilFromDays(dayOf(i))[k])
  }
  return { kind: 'int64', length: n, values: out, valid }
}
