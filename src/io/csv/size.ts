/**
 * Human byte sizes ("64MB", "1.5GiB", 1e6) → a whole number of bytes, as Dask's `parse_bytes`:
 * SI units are powers of 1000 (`kB`, `MB`, …), IEC units powers of 1024 (`KiB`, `MiB`, …); the
 * unit is case-insensitive and the trailing `B` optional (`64m` = `64MB`). Fractions round down.
 */
import { TsdaskError } from '../../util/errors.js'

const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  p: 1e15,
  pb: 1e15,
  ki: 2 ** 10,
  kib: 2 ** 10,
  mi: 2 ** 20,
  mib: 2 ** 20,
  gi: 2 ** 30,
  gib: 2 ** 30,
  ti: 2 ** 40,
  tib: 2 ** 40,
  pi: 2 ** 50,
  pib: 2 ** 50,
}

const SIZE_PATTERN = /^\s*((?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([a-z]*)\s*$/i

/**
 * Parses a byte size.
 * @example
 * parseSize('64MB') // 64_000_000
 * parseSize('1.5GiB') // 1_610_612_736
 */
export function parseSize(size: string | number): number {
  if (typeof size === 'number') {
    // Infinity means "one partition per file", the way out of an ambiguous chunk boundary.
    if (size === Number.POSITIVE_INFINITY) return size
    if (!Number.isFinite(size) || size < 0) throw badSize(String(size))
    return Math.floor(size)
  }
  const match = SIZE_PATTERN.exec(size)
  const multiplier = match ? UNITS[match[2]!.toLowerCase()] : undefined
  if (!match || multiplier === undefined) throw badSize(JSON.stringify(size))
  const bytes = Math.floor(Number(match[1]) * multiplier)
  if (!Number.isFinite(bytes)) throw badSize(JSON.stringify(size))
  return bytes
}

function badSize(shown: string): TsdaskError {
  return new TsdaskError(
    'INVALID_ARGUMENT',
    `cannot read ${shown} as a byte size. Use a non-negative number of bytes or a number with a unit, ` +
      `e.g. 1e6, '512kB', '64MB', '1.5GiB' (kB/MB/GB are powers of 1000, KiB/MiB/GiB powers of 1024), or Infinity for one partition per file.`,
  )
}
