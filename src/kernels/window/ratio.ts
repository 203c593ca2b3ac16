/**
 * sum / count correctly rounded, for a sum beyond 2^52 (rounding the sum to a double first would
 * lose its low bits; DuckDB divides its exact HUGEINT sum too). The quotient is taken with at least
 * 54 bits, and a sticky bit for a non-zero remainder, so rounding it to a double rounds the exact
 * ratio: with 2Q + sticky ≥ 2^54 every double and every midpoint between two is even, and the
 * exact ratio and 2Q + sticky lie strictly between the same two even integers.
 */
export function ratioToDouble(sum: bigint, count: number): number {
  if (count === 0) return Number.NaN
  const negative = sum < 0n
  const a = negative ? -sum : sum
  const c = BigInt(count)
  const shift = Math.max(0, 54 + c.toString(2).length - a.toString(2).length)
  const scaled = a << BigInt(shift)
  const q = scaled / c
  const sticky = scaled % c === 0n ? 0n : 1n
  const x = Number(2n * q + sticky) / 2 ** (shift + 1)
  return negative ? -x : x
}
