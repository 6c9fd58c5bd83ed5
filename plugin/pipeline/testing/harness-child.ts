/**
 * A harness in a process of its own, for the lifeline tests: runs one fake-pipeline run (argv: runsDir, then the
 * fake's arguments) and prints `started <runDir>` once the pipeline is up. The test then kills this process.
 * Run with `node --import tsx plugin/pipeline/testing/harness-child.ts RUNS_DIR ARGS...`.
 */
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { captureEnvironment } from '../../env/capture-environment.ts'
import { runPipeline } from '../run-pipeline.ts'
import { fakeRequest, FakeTarget, TEST_PYTHON } from './fake-target.ts'

const [runsDir, ...args] = process.argv.slice(2)
if (runsDir === undefined) throw new Error('usage: harness-child.ts RUNS_DIR [fake pipeline args]')
const environment = await captureEnvironment(null)
const announce = setInterval(() => {
  for (const name of existsSync(runsDir) ? readdirSync(runsDir) : []) {
    if (existsSync(path.join(runsDir, name, 'supervisor.json'))) {
      process.stdout.write(`started ${path.join(runsDir, name)}\n`)
      clearInterval(announce)
    }
  }
}, 100)
await runPipeline(new FakeTarget(), fakeRequest(args), { runsDir, timeoutSeconds: 600, sampleIntervalMs: 100, progress: 'off', python: TEST_PYTHON, environment, statePollMs: 100, nvidiaSmi: '/nonexistent/nvidia-smi' })
