/**
 * How fast this machine runs a fixed single-thread workload right now: a few milliseconds of integer hashing, timed
 * before and after each pipeline run. On a dedicated machine it is steady; on a shared runner it grows with other
 * tenants' load (measured here: 6.5 ms idle, 18–30 ms beside three busy processes), which is what lets
 * compare-reports tell "the code got slower" from "the machine got slower" between two sessions.
 */
const ITERATIONS = 3_000_000

export function cpuProbeMs(): number {
  const start = performance.now()
  let x = 0x9e3779b9 | 0
  for (let i = 0; i < ITERATIONS; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    x = Math.imul(x, 0x27d4eb2d)
  }
  const elapsed = performance.now() - start
  // Using x keeps the loop from being optimised away.
  return x === 0.5 ? Number.NaN : elapsed
}
