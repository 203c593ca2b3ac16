/**
 * A sliding window over one chunk's byte range, so a chunk is parsed from a small reused buffer
 * instead of one buffer as large as the chunk. Reading a 64 MB chunk at once costs a fresh
 * allocation (page faults on every page) plus a copy that never fits in cache; a 256 KiB window
 * is read into memory that stays warm, and the chunk's garbage is one small buffer.
 *
 * Parsing runs over `bytes[0, length)`; `base` is the file offset of `bytes[0]`, so a position p
 * in the window is file byte `base + p` (error messages use that). When a record runs past the
 * window, `slide(keep)` moves the bytes from `keep` on to the front and reads more after them;
 * the window doubles when one record is larger than all of it.
 */
import type { ByteSource } from './byte-source.js'

export const WINDOW_BYTES = 256 * 1024

export class ChunkWindow {
  bytes: Uint8Array
  /** File offset of bytes[0]. */
  base: number
  /** Valid bytes in `bytes`. */
  length = 0

  constructor(
    private readonly source: ByteSource,
    from: number,
    /** File offset where the chunk ends (exclusive). */
    private readonly to: number,
    windowBytes = WINDOW_BYTES,
  ) {
    this.base = from
    this.bytes = new Uint8Array(Math.max(1, Math.min(windowBytes, to - from)))
    this.fill()
  }

  /** Whether the window's last byte is the chunk's last byte: parsing may treat `length` as the data end. */
  get atEnd(): boolean {
    return this.base + this.length >= this.to
  }

  /**
   * Keeps bytes [keep, length) at the front, reads on after them; returns how far positions moved
   * (subtract it from positions held into the window). Grows the window when `keep` is 0 and it is full.
   */
  slide(keep: number): number {
    if (keep === 0 && this.length === this.bytes.length) {
      const bigger = new Uint8Array(this.bytes.length * 2)
      bigger.set(this.bytes)
      this.bytes = bigger
    } else if (keep > 0) {
      this.bytes.copyWithin(0, keep, this.length)
      this.length -= keep
      this.base += keep
    }
    this.fill()
    return keep
  }

  private fill(): void {
    const want = Math.min(this.bytes.length - this.length, this.to - (this.base + this.length))
    if (want > 0) this.length += this.source.readInto(this.base + this.length, this.bytes, this.length, want)
  }
}
