import { expect, test } from 'vitest'
import { failedStepOf, getOp, hasOp, registerFusedPair, registerOp } from '../../src/schedule/registry.js'
import './fixtures/test-ops.js'

test('unknown ops fail with a hint', () => {
  expect(() => getOp('sleep-then-valeu')).toThrowError(
    /unknown op 'sleep-then-valeu': no operation of that name is registered in this thread \(did you mean 'sleep-then-value'\?\)/,
  )
})

test('a name cannot be taken twice by accident', () => {
  const fn = () => 1
  registerOp('twice', fn)
  registerOp('twice', fn)
  expect(() => registerOp('twice', () => 2)).toThrowError(/op 'twice' is already registered/)
  registerOp('twice', () => 3, { replace: true })
  expect(getOp('twice')(null, [], { key: 'k' })).toBe(3)
})

test("'fused' runs its steps in sequence", async () => {
  expect(hasOp('fused')).toBe(true)
  const args = {
    steps: [
      { op: 'add', args: { plus: 1 }, meta: {} },
      { op: 'add', args: { plus: 10 }, meta: {} },
    ],
  }
  expect(await getOp('fused')(args, [2, 3], { key: 'k' })).toBe(16)
})

test("a fused pair stands in for two adjacent steps; each phase's error names its own step", async () => {
  registerOp('pair-double', (_args, inputs) => 2 * (inputs[0] as number))
  registerOp('pair-inc', (_args, inputs) => (inputs[0] as number) + 1)
  const used: string[] = []
  registerFusedPair('pair-double', 'pair-inc', {
    first: (args, inputs) => {
      used.push('first')
      if (args === 'fail') throw new Error('first failed')
      return inputs[0] as number
    },
    second: (args, carried) => {
      used.push('second')
      if (args === 'fail') throw new Error('second failed')
      return 2 * (carried as number) + 1
    },
  })
  const fused = (a: string | null, b: string | null) => ({
    steps: [
      { op: 'pair-double', args: a, meta: { label: 'double' } },
      { op: 'pair-inc', args: b, meta: { label: 'inc' } },
      { op: 'pair-inc', args: null, meta: { label: 'inc-again' } },
    ],
  })
  expect(await getOp('fused')(fused(null, null), [5], { key: 'k' })).toBe(12)
  expect(used).toEqual(['first', 'second'])
  for (const [a, b, label] of [
    ['fail', null, 'double'],
    [null, 'fail', 'inc'],
  ] as const) {
    const error = await Promise.resolve(getOp('fused')(fused(a, b), [5], { key: 'k' })).catch((e: unknown) => e)
    expect(failedStepOf(error)?.label).toBe(label)
  }
  // Replacing either op retires the pair: the new op runs as itself.
  used.length = 0
  registerOp('pair-inc', (_args, inputs) => (inputs[0] as number) + 100, { replace: true })
  expect(await getOp('fused')(fused(null, null), [5], { key: 'k' })).toBe(210)
  expect(used).toEqual([])
})
