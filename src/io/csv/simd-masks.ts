/**
 * The delimiter and LF bit masks of a window of CSV bytes, built by a tiny WebAssembly SIMD
 * function: 16 bytes per step, two `i8x16.eq` and two `i8x16.bitmask`. In plain JavaScript the
 * quote-free scanner built the same masks 4 bytes at a time (SWAR), which was about half of a
 * pruned read's time; measured on the 50 MB db-benchmark file, WASM builds both masks in 6–9 ms,
 * the window copy included, against about 45 ms.
 *
 * The module is assembled here, byte by byte (it is 150 bytes; no binary file, no build step),
 * and instantiated once per thread. Where WebAssembly SIMD is missing, `simdMasks()` is null and
 * the scanner keeps its SWAR loop.
 *
 * Layout of the module's memory: the window's bytes at 0, then one bit per byte for delimiters,
 * then one bit per byte for LFs. Bit k of 32-bit mask word i is byte 32 i + k.
 */

export interface WindowMasks {
  /** Copies `bytes[0, length)` in and builds both masks; the views below are valid until the next call. */
  build(bytes: Uint8Array, length: number, delimiter: number): void
  delims: Int32Array
  lfs: Int32Array
}

const PAGE = 65536

const leb = (n: number): number[] => {
  const out: number[] = []
  let rest = n
  do {
    let b = rest & 0x7f
    rest >>>= 7
    if (rest !== 0) b |= 0x80
    out.push(b)
  } while (rest !== 0)
  return out
}
const section = (id: number, bytes: number[]): number[] => [id, ...leb(bytes.length), ...bytes]
const vec = (items: number[][]): number[] => [...leb(items.length), ...items.flat()]
const name = (s: string): number[] => [...leb(s.length), ...[...s].map((c) => c.charCodeAt(0))]

/** `masks(len, delimOut, lfOut, delimiter)` over memory [0, len), len a multiple of 16. */
function moduleBytes(): Uint8Array {
  const get = (i: number) => [0x20, i]
  const set = (i: number) => [0x21, i]
  const I32_CONST = 0x41
  const simd = (op: number) => [0xfd, ...leb(op)]
  const V128_LOAD = 0x00
  const I8X16_SPLAT = 0x0f
  const I8X16_EQ = 0x23
  const I8X16_BITMASK = 0x64
  const I32_STORE16 = [0x3b, 1, 0]
  // params: 0 len, 1 delimOut, 2 lfOut, 3 delimiter; locals: 4 i (i32), 5 v (v128)
  const outAt = (base: number) => [...get(base), ...get(4), I32_CONST, 3, 0x76, 0x6a] // base + (i >> 3)
  const body = [
    ...vec([
      [1, 0x7f],
      [1, 0x7b],
    ]),
    0x02,
    0x40,
    0x03,
    0x40,
    ...get(4),
    ...get(0),
    0x4f,
    0x0d,
    1, // i >= len: done
    ...get(4),
    ...simd(V128_LOAD),
    4,
    0,
    ...set(5),
    ...outAt(1),
    ...get(5),
    ...get(3),
    ...simd(I8X16_SPLAT),
    ...simd(I8X16_EQ),
    ...simd(I8X16_BITMASK),
    ...I32_STORE16,
    ...outAt(2),
    ...get(5),
    I32_CONST,
    10,
    ...simd(I8X16_SPLAT),
    ...simd(I8X16_EQ),
    ...simd(I8X16_BITMASK),
    ...I32_STORE16,
    ...get(4),
    I32_CONST,
    16,
    0x6a,
    ...set(4),
    0x0c,
    0,
    0x0b,
    0x0b,
    0x0b,
  ]
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...section(1, vec([[0x60, ...vec([[0x7f], [0x7f], [0x7f], [0x7f]]), 0]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0, 1]])),
    ...section(
      7,
      vec([
        [...name('masks'), 0, 0],
        [...name('memory'), 2, 0],
      ]),
    ),
    ...section(10, vec([[...leb(body.length), ...body]])),
  ])
}

type MasksFn = (len: number, delimOut: number, lfOut: number, delimiter: number) => void

// The parts of the WebAssembly API used here (the project's type libraries do not declare it).
interface WasmMemory {
  readonly buffer: ArrayBuffer
  grow(pages: number): number
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => { readonly exports: unknown }
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly

class WasmWindowMasks implements WindowMasks {
  delims = new Int32Array(0)
  lfs = new Int32Array(0)
  #heap = new Uint8Array(0)
  #capacity = 0

  constructor(
    private readonly masks: MasksFn,
    private readonly memory: WasmMemory,
  ) {}

  build(bytes: Uint8Array, length: number, delimiter: number): void {
    // Whole 32-byte blocks: the scanner reads one 32-bit word of each mask per block.
    const padded = (length + 31) & ~31
    if (padded > this.#capacity) this.#reserve(padded)
    this.#heap.set(bytes.subarray(0, length), 0)
    const capacity = this.#capacity
    this.masks(padded, capacity, capacity + (capacity >> 3), delimiter)
  }

  #reserve(bytes: number): void {
    let capacity = Math.max(this.#capacity, PAGE)
    while (capacity < bytes) capacity *= 2
    const needed = Math.ceil((capacity + (capacity >> 2)) / PAGE)
    const pages = this.memory.buffer.byteLength / PAGE
    if (needed > pages) this.memory.grow(needed - pages)
    const buffer = this.memory.buffer
    this.#capacity = capacity
    this.#heap = new Uint8Array(buffer, 0, capacity)
    this.delims = new Int32Array(buffer, capacity, capacity >> 5)
    this.lfs = new Int32Array(buffer, capacity + (capacity >> 3), capacity >> 5)
  }
}

let compiled: object | null | undefined

/** A mask builder for this thread's scanners, or null without WebAssembly SIMD. */
export function simdMasks(): WindowMasks | null {
  if (compiled === undefined) {
    const bytes = moduleBytes()
    compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null
  }
  if (compiled === null || wasm === undefined) return null
  const exports = new wasm.Instance(compiled).exports as { masks: MasksFn; memory: WasmMemory }
  return new WasmWindowMasks(exports.masks, exports.memory)
}
