/**
 * Validity in two shapes. Arrow stores it as an LSB-first bitmap that starts at bit `data.offset`
 * (Arrow JS slices value buffers but never bitmaps); kernels work on one byte per row (1 = valid)
 * because byte loads keep hot loops branch-light and let masks combine with `&`.
 * `null` always means "every row is valid", so the common no-null case allocates nothing.
 */

/** Byte-per-row validity, 1 = valid; `null` = all valid. */
export type Validity = Uint8Array | null

/** Unpacks `length` bits starting at bit `offset` into one byte per bit. */
export function unpackBits(bitmap: Uint8Array, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length)
  if (offset % 8 === 0) {
    const base = offset >> 3
    const whole = length >> 3
    for (let b = 0; b < whole; b++) {
      const byte = bitmap[base + b]!
      const o = b << 3
      out[o] = byte & 1
      out[o + 1] = (byte >> 1) & 1
      out[o + 2] = (byte >> 2) & 1
      out[o + 3] = (byte >> 3) & 1
      out[o + 4] = (byte >> 4) & 1
      out[o + 5] = (byte >> 5) & 1
      out[o + 6] = (byte >> 6) & 1
      out[o + 7] = (byte >> 7) & 1
    }
    for (let i = whole << 3; i < length; i++) out[i] = (bitmap[base + (i >> 3)]! >> (i & 7)) & 1
    return out
  }
  for (let i = 0; i < length; i++) {
    const bit = offset + i
    out[i] = (bitmap[bit >> 3]! >> (bit & 7)) & 1
  }
  return out
}

/** Packs bytes (non-zero = set) into a fresh LSB bitmap, padded to 8 bytes as Arrow recommends. */
export function packBits(bytes: Uint8Array): Uint8Array {
  const n = bytes.length
  const out = new Uint8Array(((n + 63) >> 6) << 3)
  const whole = n >> 3
  for (let b = 0; b < whole; b++) {
    const o = b << 3
    out[b] =
      (bytes[o] ? 1 : 0) |
      (bytes[o + 1] ? 2 : 0) |
      (bytes[o + 2] ? 4 : 0) |
      (bytes[o + 3] ? 8 : 0) |
      (bytes[o + 4] ? 16 : 0) |
      (bytes[o + 5] ? 32 : 0) |
      (bytes[o + 6] ? 64 : 0) |
      (bytes[o + 7] ? 128 : 0)
  }
  for (let i = whole << 3; i < n; i++) if (bytes[i]) out[i >> 3]! |= 1 << (i & 7)
  return out
}

export function countValid(valid: Validity, length: number): number {
  if (valid === null) return length
  let c = 0
  for (let i = 0; i < length; i++) c += valid[i]!
  return c
}

/** Row-wise AND of validities: a result is valid only where every input is. */
export function andValidity(a: Validity, b: Validity, length: number): Validity {
  if (a === null) return b
  if (b === null) return a
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) out[i] = a[i]! & b[i]!
  return out
}

/** A validity normalised to `null` when every row is valid. */
export function simplifyValidity(valid: Validity, length: number): Validity {
  if (valid === null) return null
  for (let i = 0; i < length; i++) if (valid[i] === 0) return valid
  return null
}

export function allInvalid(length: number): Uint8Array {
  return new Uint8Array(length)
}
