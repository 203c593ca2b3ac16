/**
 * Validity bitmaps (Arrow: one bit per row, LSB first, 1 = valid). Builders skip bitmap upkeep
 * while a column has no nulls and call markAllValid when the first null arrives.
 */
/** Sets the validity bits of rows [0, length): the bitmap becomes live at the first null. */
export function markAllValid(validity: Uint8Array, length: number): void {
  validity.fill(0xff, 0, length >> 3)
  if (length & 7) validity[length >> 3] = (1 << (length & 7)) - 1
}
