/**
 * A control for the machine's own speed: a fixed integer workload timed in the harness's process next to every
 * pipeline run. On a shared host the same commit's runs moved by +50 % from one `vitest bench` process to the next
 * (2026-12-01, inside one round of A/A reports) with nothing else running in the machine: the hypervisor's other
 * tenants. Two reports cannot tell that from a regression unless each carries how fast the host was; the comparison
 * (plugin/analysis/regression.ts) does not call a slowdown a regression when the probe slowed as much.
 */

/** Iterations of one slice: about 3 ms on the 2-core CI machine (once compiled), so a probe costs ≈ 10 ms. */
const SLICE_ITERATIONS = 2_000_000

function slice(seed: number): number {
  // xorshift32 with a multiply: integer-only, no allocation, nothing a JIT can fold away (the result is returned).
  let x = seed | 0 || 1
  let acc = 0
  for (let i = 0; i < SLICE_ITERATIONS; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    acc = (acc + Math.imul(x, 2654435761)) | 0
  }
  return acc
}

let sink = 0
let compiled = false

/** Seconds one slice takes now: the median of three (one interruption does not move it; a slower host does). */
export function probeHostSeconds(): number {
  // The first calls run interpreted, then compiled: time only the compiled loop (a worker's first probe read 2.5×).
  if (!compiled) {
    for (let i = 0; i < 3; i++) sink ^= slice(i + 7)
    compiled = true
  }
  const times: number[] = []
  for (let i = 0; i < 3; i++) {
    const start = performance.now()
    sink ^= slice(i + 1)
    times.push((performance.now() - start) / 1000)
  }
  times.sort((a, b) => a - b)
  // Keeps the slices' results observable, so the loop is never dead code.
  if (sink === 0x7fffffff) times.reverse()
  return times[1]!
}
