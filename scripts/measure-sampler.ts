/**
 * Measures the GPU sampler's own CPU cost: `npx tsx scripts/measure-sampler.ts [--seconds 20] [--interval 500 …]`.
 * Prints one JSON line per interval: samples taken and CPU time (nvidia-smi + our parser) as % of one core.
 */
import { parseArgs } from 'node:util'
import { GpuSampler } from '../plugin/metrics/gpu-sampler.ts'

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, interval: { type: 'string', multiple: true, default: ['500', '100'] } } })
const seconds = Number(values.seconds)
if (!(seconds > 0)) {
  console.error(`--seconds must be a positive number, got ${values.seconds}`)
  process.exit(2)
}
for (const text of values.interval) {
  const intervalMs = Number(text)
  if (!(intervalMs >= 50)) {
    console.error(`--interval must be at least 50 (ms), got ${text}`)
    process.exit(2)
  }
  const sampler = await GpuSampler.start({ intervalMs })
  await new Promise((done) => setTimeout(done, seconds * 1000))
  const result = await sampler.stop()
  console.log(JSON.stringify(result.status === 'sampled'
    ? { intervalMs, seconds, samples: result.samples.length, cpuPercentOfOneCore: result.cpuPercent, source: result.source }
    : { intervalMs, seconds, status: result.status, reason: result.reason }))
}
