import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { captureEnvironment } from './capture-environment.ts'
import { detectGpus, parseCudaDriverVersion, parseGpuInventory } from './detect-gpus.ts'
import { firstPythonWithTorch, locatePython, probePython, PythonNotFoundError, pythonCandidates } from './locate-python.ts'

describe('locatePython', () => {
  it('searches PATH and Debian\'s Python when none is named, and drops duplicates', () => {
    expect(pythonCandidates(undefined, {}).map((c) => c.command)).toEqual(['python3', '/usr/bin/python3', 'python'])
  })

  it('tries only the Python that was named (config, then VIRNUCPRO_PYTHON): never falls back to another', async () => {
    expect(pythonCandidates('/opt/py', { VIRNUCPRO_PYTHON: '/usr/bin/python3' }).map((c) => c.command)).toEqual(['/opt/py', '/usr/bin/python3'])
    const error = await locatePython(undefined, { VIRNUCPRO_PYTHON: '/nonexistent/python' }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(PythonNotFoundError)
    expect((error as PythonNotFoundError).attempts).toEqual([{ candidate: '/nonexistent/python', origin: 'VIRNUCPRO_PYTHON', failure: 'not found' }])
  })

  it('finds a Python that imports torch', async () => {
    const info = await locatePython(undefined, {})
    expect(info.torch).toMatch(/^\d+\.\d+/)
    expect(info.deviceCount).toBeGreaterThanOrEqual(0)
    // Cached: the same promise comes back without probing again.
    expect(locatePython(undefined, {})).toBe(locatePython(undefined, {}))
  })

  it('keeps a probe on disk under the Python\'s identity and reads it instead of importing torch again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'python-probe-'))
    const first = await probePython('/usr/bin/python3', dir)
    expect(typeof first).not.toBe('string')
    const files = await readdir(dir)
    expect(files).toHaveLength(1)
    // What the second call returns comes from the file: mark it, and the mark comes back (no import happened).
    const file = join(dir, files[0]!)
    await writeFile(file, JSON.stringify({ ...JSON.parse(await readFile(file, 'utf8')), torch: 'from-the-identity-cache' }))
    expect(await probePython('/usr/bin/python3', dir)).toMatchObject({ torch: 'from-the-identity-cache' })
    // A candidate that fails is never cached.
    expect(await probePython('/bin/false', dir)).toMatch(/^exit 1/)
    expect(await readdir(dir)).toHaveLength(1)
  })

  it('lists every attempt and the exact fix when none qualifies', async () => {
    const error = await firstPythonWithTorch([
      { command: '/nonexistent/python', origin: 'config python' },
      { command: '/bin/false', origin: 'VIRNUCPRO_PYTHON' },
    ]).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(PythonNotFoundError)
    const message = (error as Error).message
    expect(message).toContain('/nonexistent/python (config python): not found')
    expect(message).toContain('/bin/false (VIRNUCPRO_PYTHON): exit 1')
    expect(message.endsWith('sudo apt-get install python3-torch python3-numpy; or set VIRNUCPRO_PYTHON=/path/to/python')).toBe(true)
  })
})

describe('GPU inventory', () => {
  it('parses nvidia-smi inventory lines and the banner', () => {
    const inv = parseGpuInventory('0, NVIDIA H200, GPU-abc, 143771, 570.86.15\n1, NVIDIA H200, GPU-def, 143771, 570.86.15\n')
    expect(inv.gpus).toEqual([
      { index: 0, name: 'NVIDIA H200', uuid: 'GPU-abc', memoryTotalMiB: 143771 },
      { index: 1, name: 'NVIDIA H200', uuid: 'GPU-def', memoryTotalMiB: 143771 },
    ])
    expect(inv.driverVersion).toBe('570.86.15')
    expect(parseCudaDriverVersion('| NVIDIA-SMI 570.86.15   Driver Version: 570.86.15   CUDA Version: 12.8 |')).toBe('12.8')
  })

  it('reports no GPUs instead of failing when nvidia-smi is missing', async () => {
    expect(await detectGpus('/nonexistent/nvidia-smi')).toEqual([])
  })
})

describe('captureEnvironment', () => {
  it('never throws and fills what it can', async () => {
    const env = await captureEnvironment(null, '/')
    expect(env.cpuCount).toBeGreaterThan(0)
    expect(env.node).toBe(process.version)
    expect(env.git).toBeNull()
  })
})
