import { expect, test } from 'vitest'
import { getOp, hasOp, registerOp } from '../../src/schedule/registry.js'
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
