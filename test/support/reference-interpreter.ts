/**
 * A naive, row-by-row interpreter for tsdask's logical plan: the oracle of the engine's property
 * tests. It reads `df.plan` (Scan over in-memory batches, Filter, Project, Aggregate, Sort, Limit,
 * Distinct, Union; CASE, LIKE, the scalar functions and the statistical aggregates)
 * and computes the result over plain JS rows, implementing the documented semantics on its own —
 * it imports no kernel, no lowering and no type checker from `src/`, so a shared mistake cannot
 * hide in both.
 *
 * Semantics (DESIGN.md, src/kernels/physical-expr.ts, src/expr/dtype-of.ts):
 * - SQL nulls: null in → null out, except isNull / isNotNull / coalesce and Kleene `and` / `or`
 *   (false AND null = false, true OR null = true); a filter keeps only `true`.
 * - Evaluation order (errors are results): the right side of `and` runs only when the left is not
 *   false, of `or` only when the left is not true; coalesce stops at the first non-null argument;
 *   CASE evaluates only the conditions it reaches and the value it takes. A filter's top-level
 *   conjuncts run in order and stop at the first that is not true (as stacked filters would).
 * - Casts from utf8 to int32 / int64 accept an optional sign and digits; any other text is an
 *   error (ReferenceCastError), as is a value out of range.
 * - Types widen int32 < int64 < float64 for arithmetic and comparison; `/` is float64 and `x / 0`
 *   (and `x % 0`) is null; `%` has the sign of the dividend; integer overflow is an error.
 * - date32 compares with timestamp[ms] as timestamp (both are milliseconds here).
 * - Order: numbers numerically with -0 = 0 and NaN equal to itself and after every number;
 *   strings by UTF-8 bytes; false < true.
 * - Aggregates skip nulls; count() counts rows; sum(int) is int64, mean and sum(float64) float64,
 *   min / max keep the dtype; a group with no non-null input gives null (count gives 0); groups
 *   come out sorted by key, nulls last; a keyless aggregate always yields one row.
 * - Sort is stable, nulls last unless nullsFirst (in both directions). Limit takes rows in order.
 *
 * Values inside the interpreter: int32 / float64 as number, int64 as bigint, utf8 string, bool
 * boolean, date32 and timestamp[ms] as milliseconds since the epoch (a number); `toRecords`
 * converts temporals to `Date`, as the engine's `toRecords()` does.
 */
import type { RecordBatch } from 'apache-arrow'
import type { DType } from '../../src/index.js'
import { sampleDraw } from '../../src/kernels/sample.js'

export type Value = null | boolean | number | bigint | string
export type RefRow = Value[]

/** A table in the interpreter: column names and dtypes, and rows of values in that order. */
export interface RefTable {
  readonly fields: readonly { readonly name: string; readonly dtype: DType }[]
  readonly rows: readonly RefRow[]
}

/** Deliberate mistakes, to prove the property tests notice a wrong answer. */
export interface ReferenceFaults {
  /** Adds one to every non-null sum. */
  readonly sumOffByOne?: boolean
}

/** Raised for integer overflow, which the engine also reports as an error ('OVERFLOW'). */
export class ReferenceOverflowError extends Error {
  override name = 'ReferenceOverflowError'
}

/** Raised for text a cast cannot read as a number, which the engine reports as 'TYPE_MISMATCH'. */
export class ReferenceCastError extends Error {
  override name = 'ReferenceCastError'
}

// The logical plan, as far as the interpreter reads it: structural types, so this file depends
// on the plan's shape, not on src/plan's code.
interface ExprNode {
  readonly kind: string
  readonly [field: string]: unknown
}
interface PlanNode {
  readonly kind: string
  readonly input?: PlanNode
  readonly [field: string]: unknown
}
interface AggCall {
  readonly name: string
  /** An AggFn name (kept a string so this file does not depend on src's type). */
  readonly fn: string
  readonly arg: ExprNode | null
  readonly arg2?: ExprNode
  readonly q?: number
}
interface SortKey {
  readonly column: string
  readonly descending: boolean
  readonly nullsFirst: boolean
}

const INT32_MIN = -2147483648
const INT32_MAX = 2147483647
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
const MS_PER_DAY = 86_400_000

/** Runs a logical plan (e.g. `df.plan`) and returns the rows as `toRecords()` would. */
export function referenceRecords(plan: unknown, faults: ReferenceFaults = {}): Record<string, unknown>[] {
  return toRecords(interpret(plan as PlanNode, faults))
}

export function interpret(plan: PlanNode, faults: ReferenceFaults = {}): RefTable {
  switch (plan.kind) {
    case 'Scan':
      return scan(plan)
    case 'Filter': {
      const input = interpret(inputOf(plan), faults)
      const conjuncts = conjunctsOf(plan.predicate as ExprNode)
      const kept = (row: RefRow) => conjuncts.every((c) => evaluate(c, input, row).value === true)
      return { fields: input.fields, rows: input.rows.filter(kept) }
    }
    case 'Project': {
      const input = interpret(inputOf(plan), faults)
      const exprs = plan.exprs as readonly { name: string; expr: ExprNode }[]
      const typed = exprs.map(({ name, expr }) => ({ name, expr, dtype: typeOf(expr, input.fields) }))
      return {
        fields: typed.map(({ name, dtype }) => ({ name, dtype })),
        rows: input.rows.map((row) =>
          samePartition(
            row,
            typed.map(({ expr, dtype }) => convert(evaluate(expr, input, row), dtype)),
          ),
        ),
      }
    }
    case 'Sample':
      return sample(interpret(inputOf(plan), faults), plan.fraction as number, plan.seed as number)
    case 'Aggregate':
      return aggregate(
        interpret(inputOf(plan), faults),
        plan.keys as readonly string[],
        plan.aggs as readonly AggCall[],
        faults,
      )
    case 'Sort': {
      const input = interpret(inputOf(plan), faults)
      return { fields: input.fields, rows: stableSort(input, plan.keys as readonly SortKey[]) }
    }
    case 'Limit': {
      const input = interpret(inputOf(plan), faults)
      const offset = plan.offset as number
      return { fields: input.fields, rows: input.rows.slice(offset, offset + (plan.limit as number)) }
    }
    case 'Distinct': {
      const input = interpret(inputOf(plan), faults)
      return aggregate(
        input,
        input.fields.map((f) => f.name),
        [],
        faults,
      )
    }
    case 'Union': {
      const inputs = (plan.inputs as PlanNode[]).map((p) => interpret(p, faults))
      return { fields: inputs[0]!.fields, rows: inputs.flatMap((t) => t.rows) }
    }
    default:
      throw new Error(`reference interpreter: no support for plan node ${plan.kind}`)
  }
}

/** `(a AND b) AND c` → [a, b, c]. */
function conjunctsOf(e: ExprNode): ExprNode[] {
  return e.kind === 'Binary' && e.op === 'and'
    ? [...conjunctsOf(e.left as ExprNode), ...conjunctsOf(e.right as ExprNode)]
    : [e]
}

function inputOf(plan: PlanNode): PlanNode {
  if (!plan.input) throw new Error(`reference interpreter: ${plan.kind} without an input`)
  return plan.input
}

// Scan --------------------------------------------------------------------------------------------

function scan(plan: PlanNode): RefTable {
  const source = plan.source as {
    kind: string
    schema: readonly { name: string; dtype: DType }[]
    batches: readonly RecordBatch[]
  }
  if (source.kind !== 'memory') throw new Error(`reference interpreter reads memory sources only, not ${source.kind}`)
  const rows: RefRow[] = []
  let partitionIndex = 0
  for (const batch of source.batches) {
    const vectors = source.schema.map((_, c) => batch.getChildAt(c))
    for (let i = 0; i < batch.numRows; i++) {
      const row = source.schema.map((f, c) => fromArrow(vectors[c]?.get(i), f.dtype))
      partitionOf.set(row, partitionIndex)
      rows.push(row)
    }
    partitionIndex++
  }
  const all: RefTable = { fields: source.schema, rows }
  const columns = plan.columns as readonly string[] | null
  if (columns === null) return all
  const indexes = columns.map((name) => columnIndex(all.fields, name))
  return {
    fields: indexes.map((i) => all.fields[i]!),
    rows: rows.map((row) =>
      samePartition(
        row,
        indexes.map((i) => row[i]!),
      ),
    ),
  }
}

/**
 * The scan partition each row came from, kept through row-wise nodes (filter, project): a sample
 * draws by (seed, partition, position in the partition). Rows made by other nodes have none.
 */
const partitionOf = new WeakMap<RefRow, number>()

function samePartition(from: RefRow, row: RefRow): RefRow {
  const p = partitionOf.get(from)
  if (p !== undefined) partitionOf.set(row, p)
  return row
}

function sample(input: RefTable, fraction: number, seed: number): RefTable {
  const positions = new Map<number, number>()
  const rows = input.rows.filter((row) => {
    const p = partitionOf.get(row)
    if (p === undefined) throw new Error('reference interpreter: sample() only over scans, filters and projections')
    const r = positions.get(p) ?? 0
    positions.set(p, r + 1)
    return sampleDraw(seed, p, r) < fraction
  })
  return { fields: input.fields, rows }
}

function fromArrow(v: unknown, dtype: DType): Value {
  if (v === null || v === undefined) return null
  switch (dtype) {
    case 'date32':
    case 'timestamp[ms]':
      return v instanceof Date ? v.getTime() : Number(v)
    case 'int64':
      return BigInt(v as bigint)
    default:
      return v as Value
  }
}

function columnIndex(fields: RefTable['fields'], name: string): number {
  const i = fields.findIndex((f) => f.name === name)
  if (i < 0) throw new Error(`reference interpreter: unknown column ${name}`)
  return i
}

// Types -------------------------------------------------------------------------------------------

const isNumeric = (t: DType | null): boolean => t === 'int32' || t === 'int64' || t === 'float64'
const isTemporal = (t: DType | null): boolean => t === 'date32' || t === 'timestamp[ms]'

function widen(a: DType | null, b: DType | null): DType | null {
  if (a === null) return b
  if (b === null) return a
  if (a === b) return a
  if (isNumeric(a) && isNumeric(b)) return a === 'float64' || b === 'float64' ? 'float64' : 'int64'
  if (isTemporal(a) && isTemporal(b)) return 'timestamp[ms]'
  throw new Error(`reference interpreter: no common type for ${a} and ${b}`)
}

/** The dtype of an expression (null: an untyped NULL literal). */
function typeOf(e: ExprNode, fields: RefTable['fields']): DType {
  return inferType(e, fields) ?? 'int32'
}

function inferType(e: ExprNode, fields: RefTable['fields']): DType | null {
  switch (e.kind) {
    case 'Column':
      return fields[columnIndex(fields, e.name as string)]!.dtype
    case 'Literal':
      return e.dtype as DType | null
    case 'Binary': {
      const op = e.op as string
      if (op === 'div') return 'float64'
      if (['add', 'sub', 'mul', 'mod'].includes(op)) {
        return widen(inferType(e.left as ExprNode, fields), inferType(e.right as ExprNode, fields))
      }
      return 'bool'
    }
    case 'Unary':
      return e.op === 'negate' ? inferType(e.arg as ExprNode, fields) : 'bool'
    case 'Cast':
      return e.dtype as DType
    case 'IsIn':
      return 'bool'
    case 'Coalesce':
      return (e.args as ExprNode[]).reduce<DType | null>((t, a) => widen(t, inferType(a, fields)), null)
    case 'String':
      return e.fn === 'lower' || e.fn === 'upper' ? 'utf8' : e.fn === 'length' ? 'int32' : 'bool'
    case 'Case': {
      const values = [
        ...(e.branches as { value: ExprNode }[]).map((b) => b.value),
        ...(e.otherwise ? [e.otherwise as ExprNode] : []),
      ]
      return values.reduce<DType | null>((t, v) => {
        const u = inferType(v, fields)
        return t === null ? u : u === null || u === t ? t : widen(t, u)
      }, null)
    }
    case 'Call': {
      const first = inferType((e.args as ExprNode[])[0]!, fields)
      return ['year', 'month', 'day'].includes(e.fn as string) ? 'int64' : e.fn === 'substr' ? 'utf8' : first
    }
    default:
      throw new Error(`reference interpreter: no type for ${e.kind}`)
  }
}

/** A value of one numeric or temporal dtype as another (widening only), or text read as an integer. */
function convert(v: Typed, to: DType): Value {
  if (v.value === null || v.dtype === to || v.dtype === null) return v.value
  if (v.dtype === 'utf8' && (to === 'int32' || to === 'int64')) return parseInteger(v.value as string, to)
  if (to === 'float64') return Number(v.value)
  if (to === 'int64') return BigInt(v.value as number)
  if (to === 'timestamp[ms]' && isTemporal(v.dtype)) return v.value
  throw new Error(`reference interpreter: cannot convert ${v.dtype} to ${to}`)
}

function parseInteger(text: string, to: 'int32' | 'int64'): Value {
  if (!/^[+-]?\d+$/.test(text)) throw new ReferenceCastError(`cannot cast ${JSON.stringify(text)} to ${to}`)
  const v = BigInt(text)
  const [min, max] = to === 'int32' ? [BigInt(INT32_MIN), BigInt(INT32_MAX)] : [INT64_MIN, INT64_MAX]
  if (v < min || v > max) throw new ReferenceCastError(`${text} is out of range for ${to}`)
  return to === 'int32' ? Number(v) : v
}

// Expressions -------------------------------------------------------------------------------------

interface Typed {
  readonly value: Value
  readonly dtype: DType | null
}

const NULL_BOOL: Typed = { value: null, dtype: 'bool' }

export function evaluate(e: ExprNode, table: RefTable, row: RefRow): Typed {
  switch (e.kind) {
    case 'Column': {
      const i = columnIndex(table.fields, e.name as string)
      return { value: row[i]!, dtype: table.fields[i]!.dtype }
    }
    case 'Literal':
      return literal(e.value, e.dtype as DType | null)
    case 'Binary':
      if (decidedNull(e, table)) return { value: null, dtype: typeOf(e, table.fields) }
      return binary(e.op as string, e.left as ExprNode, e.right as ExprNode, table, row)
    case 'Unary': {
      const arg = evaluate(e.arg as ExprNode, table, row)
      switch (e.op) {
        case 'isNull':
          return { value: arg.value === null, dtype: 'bool' }
        case 'isNotNull':
          return { value: arg.value !== null, dtype: 'bool' }
        case 'not':
          return { value: arg.value === null ? null : !arg.value, dtype: 'bool' }
        case 'negate':
          return { value: arg.value === null ? null : negate(arg), dtype: arg.dtype }
        default:
          throw new Error(`reference interpreter: unary ${String(e.op)}`)
      }
    }
    case 'Cast': {
      const arg = evaluate(e.arg as ExprNode, table, row)
      return { value: convert(arg, e.dtype as DType), dtype: e.dtype as DType }
    }
    case 'IsIn': {
      const arg = evaluate(e.arg as ExprNode, table, row)
      if (arg.value === null) return NULL_BOOL
      const values = (e.values as ExprNode[]).map((v) => literal(v.value, v.dtype as DType | null))
      let sawNull = false
      for (const v of values) {
        if (v.value === null) sawNull = true
        else if (compareTyped(arg, v) === 0) return { value: true, dtype: 'bool' }
      }
      return { value: sawNull ? null : false, dtype: 'bool' }
    }
    case 'Coalesce': {
      const dtype = typeOf(e, table.fields)
      for (const a of e.args as ExprNode[]) {
        const v = evaluate(a, table, row)
        if (v.value !== null) return { value: convert(v, dtype), dtype }
      }
      return { value: null, dtype }
    }
    case 'String': {
      const arg = evaluate(e.arg as ExprNode, table, row)
      const s = arg.value as string | null
      const pattern = e.pattern as string
      const dtype = typeOf(e, table.fields)
      if (s === null) return { value: null, dtype }
      switch (e.fn) {
        case 'lower':
          return { value: s.toLowerCase(), dtype }
        case 'upper':
          return { value: s.toUpperCase(), dtype }
        case 'length':
          return { value: [...s].length, dtype }
        case 'startsWith':
          return { value: s.startsWith(pattern), dtype }
        case 'endsWith':
          return { value: s.endsWith(pattern), dtype }
        case 'contains':
          return { value: s.includes(pattern), dtype }
        case 'like':
          return { value: likeByRegex(s, pattern), dtype }
        default:
          throw new Error(`reference interpreter: string function ${String(e.fn)}`)
      }
    }
    case 'Case': {
      const dtype = typeOf(e, table.fields)
      for (const b of e.branches as { condition: ExprNode; value: ExprNode }[]) {
        if (evaluate(b.condition, table, row).value === true) {
          return { value: convert(evaluate(b.value, table, row), dtype), dtype }
        }
      }
      if (!e.otherwise) return { value: null, dtype }
      return { value: convert(evaluate(e.otherwise as ExprNode, table, row), dtype), dtype }
    }
    case 'Call':
      return call(e, table, row)
    default:
      throw new Error(`reference interpreter: cannot evaluate ${e.kind} per row`)
  }
}

/** LIKE as a regular expression over code points: % any run, _ one character, no escape. */
function likeByRegex(s: string, pattern: string): boolean {
  const body = Array.from(pattern)
    .map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')))
    .join('')
  return new RegExp(`^${body}$`, 'su').test(s)
}

/** Scalar functions, one row at a time (DuckDB's rules, written out independently of the kernels). */
function call(e: ExprNode, table: RefTable, row: RefRow): Typed {
  const dtype = typeOf(e, table.fields)
  if (decidedNull(e, table)) return { value: null, dtype }
  const args = (e.args as ExprNode[]).map((a) => evaluate(a, table, row))
  if (args.some((a) => a.value === null)) return { value: null, dtype }
  const x = args[0]!.value
  const halfAway = (v: number) => Math.sign(v) * Math.floor(Math.abs(v) + 0.5)
  switch (e.fn) {
    case 'abs':
      if (typeof x === 'bigint') {
        if (x === INT64_MIN) throw new ReferenceOverflowError('int64 overflow in abs')
        return { value: x < 0n ? -x : x, dtype }
      }
      if (dtype === 'int32' && x === INT32_MIN) throw new ReferenceOverflowError('int32 overflow in abs')
      return { value: Math.abs(x as number), dtype }
    case 'floor':
    case 'ceil':
      return { value: dtype === 'float64' ? Math[e.fn](x as number) : x, dtype }
    case 'round': {
      const digits = Number(args[1]?.value ?? 0)
      if (dtype !== 'float64' && digits >= 0) return { value: x, dtype }
      if (dtype !== 'float64') throw new Error('reference interpreter: round of an integer to tens')
      const v = x as number
      if (!Number.isFinite(v)) return { value: digits < 0 ? 0 : v, dtype }
      const m = 10 ** Math.abs(digits)
      return { value: (digits >= 0 ? halfAway(v * m) / m : halfAway(v / m) * m) || 0, dtype }
    }
    case 'substr': {
      const chars = Array.from(x as string)
      const start = Number(args[1]!.value)
      let length = args[2] ? Number(args[2].value) : Number.MAX_SAFE_INTEGER
      // DuckDB 1.5: positions outside the string count; the range is cut to it at the end.
      let from = start > 0 ? start - 1 : start < 0 ? chars.length + start : 0
      if (start === 0) length--
      if (length <= 0 && start === 0) return { value: '', dtype }
      let to = from + length
      if (length < 0) {
        to = from
        from += length
      }
      const cut = (p: number) => Math.min(chars.length, Math.max(0, p))
      return { value: chars.slice(cut(from), Math.max(cut(from), cut(to))).join(''), dtype }
    }
    case 'year':
    case 'month':
    case 'day': {
      const d = new Date(x as number)
      const part = e.fn === 'year' ? d.getUTCFullYear() : e.fn === 'month' ? d.getUTCMonth() + 1 : d.getUTCDate()
      return { value: BigInt(part), dtype }
    }
    default:
      throw new Error(`reference interpreter: function ${String(e.fn)}`)
  }
}

function literal(value: unknown, dtype: DType | null): Typed {
  if (value === null || value === undefined) return { value: null, dtype }
  if (value instanceof Date) {
    const ms = value.getTime()
    return { value: dtype === 'date32' ? Math.floor(ms / MS_PER_DAY) * MS_PER_DAY : ms, dtype }
  }
  if (dtype === 'int64') return { value: BigInt(value as bigint), dtype }
  if (dtype === 'float64') return { value: Number(value), dtype }
  return { value: value as Value, dtype }
}

const ARITHMETIC_OPS = ['add', 'sub', 'mul', 'div', 'mod']

/**
 * DuckDB's binder rule: an arithmetic operator or scalar function with an operand that reads no
 * column (or is such a call, decided itself) and is null — or, for div / mod, a constant zero
 * divisor — is null, and its other operands are never evaluated (so their errors never happen).
 */
function decidedNull(e: ExprNode, table: RefTable): boolean {
  let answer = decided.get(e)
  if (answer === undefined) {
    answer = decides(e, table)
    decided.set(e, answer)
  }
  return answer
}

// Per expression node: whether it reads a column does not depend on the row.
const decided = new WeakMap<ExprNode, boolean>()

function decides(e: ExprNode, table: RefTable): boolean {
  const args =
    e.kind === 'Binary' && ARITHMETIC_OPS.includes(e.op as string)
      ? [e.left as ExprNode, e.right as ExprNode]
      : e.kind === 'Call'
        ? (e.args as ExprNode[])
        : null
  if (args === null) return false
  const divides = e.op === 'div' || e.op === 'mod'
  return args.some((a, i) => {
    const v = constantValue(a, table)
    return v === 'null' || (divides && i === 1 && v === 'zero')
  })
}

/** The value of a constant operand (null, a zero, another value), or 'variable'. */
function constantValue(e: ExprNode, table: RefTable): 'null' | 'zero' | 'constant' | 'variable' {
  if (decidedNull(e, table)) return 'null'
  if (readsColumn(e, table)) return 'variable'
  try {
    const v = evaluate(e, table, []).value
    return v === null ? 'null' : v === 0 || v === 0n ? 'zero' : 'constant'
  } catch {
    return 'variable'
  }
}

/** Whether a column is read outside the calls a constant null decides. */
function readsColumn(e: unknown, table: RefTable): boolean {
  if (Array.isArray(e)) return e.some((x) => readsColumn(x, table))
  if (typeof e !== 'object' || e === null) return false
  const node = e as { kind?: unknown }
  if (node.kind === 'Column') return true
  if (typeof node.kind === 'string' && decidedNull(node as ExprNode, table)) return false
  return Object.values(node).some((x) => readsColumn(x, table))
}

function binary(op: string, leftNode: ExprNode, rightNode: ExprNode, table: RefTable, row: RefRow): Typed {
  const l = evaluate(leftNode, table, row)
  // The right side of and / or runs only when the left side does not decide.
  if (op === 'and') {
    if (l.value === false) return { value: false, dtype: 'bool' }
    const r = evaluate(rightNode, table, row)
    if (r.value === false) return { value: false, dtype: 'bool' }
    if (l.value === null || r.value === null) return NULL_BOOL
    return { value: true, dtype: 'bool' }
  }
  if (op === 'or') {
    if (l.value === true) return { value: true, dtype: 'bool' }
    const r = evaluate(rightNode, table, row)
    if (r.value === true) return { value: true, dtype: 'bool' }
    if (l.value === null || r.value === null) return NULL_BOOL
    return { value: false, dtype: 'bool' }
  }
  const r = evaluate(rightNode, table, row)
  if (['eq', 'neq', 'lt', 'lte', 'gt', 'gte'].includes(op)) {
    if (l.value === null || r.value === null) return NULL_BOOL
    const c = compareTyped(l, r)
    const result = { eq: c === 0, neq: c !== 0, lt: c < 0, lte: c <= 0, gt: c > 0, gte: c >= 0 }[
      op as 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte'
    ]
    return { value: result, dtype: 'bool' }
  }
  const dtype: DType = op === 'div' ? 'float64' : (widen(l.dtype, r.dtype) ?? 'int32')
  if (l.value === null || r.value === null) return { value: null, dtype }
  return { value: arithmetic(op, l, r, dtype), dtype }
}

function arithmetic(op: string, l: Typed, r: Typed, dtype: DType): Value {
  if (op === 'div') {
    const b = Number(r.value)
    return b === 0 ? null : Number(l.value) / b
  }
  const common = widen(l.dtype, r.dtype) ?? 'int32'
  if (common === 'int64') {
    const a = convert(l, 'int64') as bigint
    const b = convert(r, 'int64') as bigint
    if (op === 'mod') return b === 0n ? null : a % b
    const v = op === 'add' ? a + b : op === 'sub' ? a - b : a * b
    if (v < INT64_MIN || v > INT64_MAX) throw new ReferenceOverflowError(`int64 overflow in ${op}`)
    return v
  }
  const a = Number(l.value)
  const b = Number(r.value)
  if (op === 'mod') return b === 0 ? null : a % b
  const v = op === 'add' ? a + b : op === 'sub' ? a - b : a * b
  if (dtype === 'int32' && (v < INT32_MIN || v > INT32_MAX)) throw new ReferenceOverflowError(`int32 overflow in ${op}`)
  return v
}

function negate(v: Typed): Value {
  if (typeof v.value === 'bigint') {
    if (v.value === INT64_MIN) throw new ReferenceOverflowError('int64 overflow in negate')
    return -v.value
  }
  if (v.dtype === 'int32' && v.value === INT32_MIN) throw new ReferenceOverflowError('int32 overflow in negate')
  return -(v.value as number)
}

// Order -------------------------------------------------------------------------------------------

/** Compares two non-null values of comparable dtypes, after widening them to a common type. */
function compareTyped(l: Typed, r: Typed): number {
  const common = widen(l.dtype, r.dtype) ?? l.dtype ?? r.dtype
  if (common === 'int64') return compareValues(convert(l, 'int64'), convert(r, 'int64'))
  if (common === 'float64') return compareValues(Number(l.value), Number(r.value))
  return compareValues(l.value, r.value)
}

/** Total order of two non-null values of one dtype. */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1
    return a < b ? -1 : a > b ? 1 : 0
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b))
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  throw new Error(`reference interpreter: cannot compare ${String(a)} with ${String(b)}`)
}

function compareRows(keys: readonly { index: number; descending: boolean; nullsFirst: boolean }[]) {
  return (x: RefRow, y: RefRow): number => {
    for (const k of keys) {
      const a = x[k.index]!
      const b = y[k.index]!
      if (a === null && b === null) continue
      if (a === null) return k.nullsFirst ? -1 : 1
      if (b === null) return k.nullsFirst ? 1 : -1
      const c = compareValues(a, b)
      if (c !== 0) return k.descending ? -c : c
    }
    return 0
  }
}

function stableSort(table: RefTable, keys: readonly SortKey[]): RefRow[] {
  const indexed = keys.map((k) => ({ ...k, index: columnIndex(table.fields, k.column) }))
  return [...table.rows].sort(compareRows(indexed)) // Array.prototype.sort is stable
}

// Aggregate ---------------------------------------------------------------------------------------

/** Groups: -0 is 0, every NaN is one group, null is a group of its own (JSON would print ±Infinity and NaN as null). */
function groupKey(values: readonly Value[]): string {
  return JSON.stringify(
    values.map((v) =>
      typeof v === 'bigint' ? `${v}n` : typeof v === 'number' ? (Number.isFinite(v) ? v || 0 : `${v}`) : v,
    ),
  )
}

function aggregate(
  input: RefTable,
  keys: readonly string[],
  aggs: readonly AggCall[],
  faults: ReferenceFaults,
): RefTable {
  const keyIndexes = keys.map((k) => columnIndex(input.fields, k))
  const groups = new Map<string, { key: Value[]; rows: RefRow[] }>()
  for (const row of input.rows) {
    const key = keyIndexes.map((i) => row[i]!)
    const id = groupKey(key)
    const group = groups.get(id)
    if (group) group.rows.push(row)
    else groups.set(id, { key, rows: [row] })
  }
  if (keys.length === 0 && groups.size === 0) groups.set('[]', { key: [], rows: [] })

  const aggFields = aggs.map((a) => ({ name: a.name, dtype: aggType(a, input.fields) }))
  const fields = [...keyIndexes.map((i) => input.fields[i]!), ...aggFields]
  const rows = [...groups.values()].map(({ key, rows: members }) => [
    ...key,
    ...aggs.map((a) => aggregateOne(a, input, members, faults)),
  ])
  const byKey = keyIndexes.map((_, index) => ({ index, descending: false, nullsFirst: false }))
  return { fields, rows: rows.sort(compareRows(byKey)) }
}

function aggType(a: AggCall, fields: RefTable['fields']): DType {
  switch (a.fn) {
    case 'count':
    case 'countAll':
      return 'int64'
    case 'mean':
    case 'stddev':
    case 'variance':
    case 'median':
    case 'quantile':
    case 'quantileDisc':
    case 'corr':
      return 'float64'
    case 'countDistinct':
      return 'int64'
    case 'sum':
      return typeOf(a.arg as ExprNode, fields) === 'float64' ? 'float64' : 'int64'
    default:
      return typeOf(a.arg as ExprNode, fields)
  }
}

function aggregateOne(a: AggCall, input: RefTable, rows: readonly RefRow[], faults: ReferenceFaults): Value {
  if (a.fn === 'countAll') return BigInt(rows.length)
  if (a.fn === 'corr') return correlation(a, input, rows)
  const arg = a.arg as ExprNode
  const dtype = typeOf(arg, input.fields)
  const values = rows.map((row) => evaluate(arg, input, row).value).filter((v): v is Exclude<Value, null> => v !== null)
  switch (a.fn) {
    case 'count':
      return BigInt(values.length)
    case 'sum':
    case 'mean': {
      if (values.length === 0) return null
      let sum: number | bigint
      if (dtype === 'float64') {
        sum = 0
        for (const v of values) sum += v as number
      } else {
        sum = 0n
        for (const v of values) sum += BigInt(v as number | bigint)
        if (sum < INT64_MIN || sum > INT64_MAX) throw new ReferenceOverflowError('int64 overflow in sum')
      }
      if (a.fn === 'mean') return Number(sum) / values.length
      if (faults.sumOffByOne) return typeof sum === 'bigint' ? sum + 1n : sum + 1
      return sum
    }
    case 'stddev':
    case 'variance': {
      if (values.length < 2) return null
      const xs = values.map(Number)
      const mean = xs.reduce((s, v) => s + v, 0) / xs.length
      const variance = xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (xs.length - 1)
      return a.fn === 'variance' ? variance : Math.sqrt(variance)
    }
    case 'median': {
      if (values.length === 0) return null
      const xs = values.map(Number).sort((p, q) => compareValues(p, q))
      const lo = xs[(xs.length - 1) >> 1]!
      const hi = xs[xs.length >> 1]!
      return lo === hi ? lo : lo + (hi - lo) / 2
    }
    case 'quantile':
    case 'quantileDisc': {
      if (values.length === 0) return null
      const xs = values.map(Number).sort((p, q) => compareValues(p, q))
      const q = a.q as number
      if (a.fn === 'quantileDisc') {
        // The first value whose cumulative share reaches q (SQL's PERCENTILE_DISC).
        return xs.find((_, i) => (i + 1) / xs.length >= q - 1e-12) ?? null
      }
      const at = (xs.length - 1) * q
      const lo = xs[Math.floor(at)]!
      const hi = xs[Math.ceil(at)]!
      return lo === hi ? lo : lo + (hi - lo) * (at - Math.floor(at))
    }
    case 'countDistinct':
      return BigInt(new Set(values.map((v) => groupKey([v]))).size)
    case 'min':
    case 'max': {
      if (values.length === 0) return null
      const sign = a.fn === 'min' ? -1 : 1
      return values.reduce((best, v) => (compareValues(v, best) * sign > 0 ? v : best))
    }
    default:
      throw new Error(`reference interpreter: aggregate ${String(a.fn)}`)
  }
}

/** Pearson correlation over the rows where both arguments are non-null (null when undefined). */
function correlation(a: AggCall, input: RefTable, rows: readonly RefRow[]): Value {
  const pairs = rows
    .map((row) => [evaluate(a.arg as ExprNode, input, row).value, evaluate(a.arg2 as ExprNode, input, row).value])
    .filter(([x, y]) => x !== null && y !== null)
    .map(([x, y]) => [Number(x), Number(y)] as const)
  return pearson(pairs)
}

/** Pearson correlation of (x, y) pairs, two-pass; null with no pairs, NaN with a zero variance (DuckDB). */
export function pearson(pairs: readonly (readonly [number, number])[]): number | null {
  if (pairs.length === 0) return null
  const mx = pairs.reduce((s, p) => s + p[0], 0) / pairs.length
  const my = pairs.reduce((s, p) => s + p[1], 0) / pairs.length
  let sxx = 0
  let syy = 0
  let sxy = 0
  for (const [x, y] of pairs) {
    sxx += (x - mx) ** 2
    syy += (y - my) ** 2
    sxy += (x - mx) * (y - my)
  }
  return sxx * syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy)
}

// Output ------------------------------------------------------------------------------------------

export function toRecords(table: RefTable): Record<string, unknown>[] {
  return table.rows.map((row) => {
    const record: Record<string, unknown> = {}
    table.fields.forEach((f, i) => {
      const v = row[i]!
      record[f.name] = v !== null && isTemporal(f.dtype) ? new Date(v as number) : v
    })
    return record
  })
}
