import { existsSync } from 'node:fs'
import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  CALIBRATION_MAX_AGE_MS,
  type Calibrated,
  CalibratedSchema,
  CalibrationError,
  type CalibrationIdentity,
  calibrate,
  calibrationCacheKey,
  calibrationCachePath,
  vendorPeakFor,
} from './calibrate.ts'

// Real output of calibrate.py on one H200 (torch 2.11.0+cu130, driver 580.159.04), 2026-11-29.
const H200_IDENTITY: CalibrationIdentity = {
  status: 'identified',
  gpu: {
    index: 0,
    name: 'NVIDIA H200',
    uuid: 'GPU-f78f0d7d-080d-2b6f-0e3f-ad3385bdcce3',
    driver: '580.159.04',
    computeCapability: '9.0',
    memoryTotalMiB: 143156,
    multiprocessors: 132,
  },
  visibleGpuNames: ['NVIDIA H200'],
  torch: '2.11.0+cu130',
  cuda: '13.0',
}
const MEASURED_AT = '2026-11-29T03:36:30.274480Z'
const H200_CALIBRATED: Calibrated = {
  ...H200_IDENTITY,
  status: 'calibrated',
  bf16Tflops: 793.3057668495524,
  fp16Tflops: 761.6456342854817,
  tf32Tflops: 411.1000082963159,
  fp32Tflops: 51.064589109392024,
  memoryBandwidthGBs: 4270.105153453476,
  matmul: {
    size: 8192,
    iterations: 10,
    repeats: 5,
    samplesTflops: {
      bf16: [793.3057668495524, 790.715195108265, 789.425324699354, 786.8582212946433, 773.8383644351939],
      fp16: [761.6456342854817, 759.0226181801303, 746.4883229796709, 749.2572260198599, 739.1972903188549],
      tf32: [411.1000082963159, 410.90727825386483, 368.0270265167471, 346.382988008398, 353.88299758104563],
      fp32: [50.63622688199372, 50.82938324104212, 51.05436092056222, 51.064589109392024, 51.05434645131958],
    },
  },
  bandwidth: {
    bytesPerCopy: 2147483648,
    iterations: 20,
    repeats: 5,
    samplesGBs: [4269.860624981983, 4268.251646200327, 4269.548122739655, 4258.7375497169505, 4270.105153453476],
  },
  method:
    'best of 5 repeats × 10 timed 8192×8192×8192 torch.matmul (2·n³ FLOP each, random data, 3 warm-ups, CUDA events) per precision bf16,fp16,tf32,fp32; bandwidth: best of 5 repeats × 20 y.copy_(x) of 2048 MiB float32, counting bytes read + written; GPU 0 (NVIDIA H200), torch 2.11.0+cu130',
  measuredAt: MEASURED_AT,
  durationSeconds: 5.785451173782349,
  fromCache: false,
}

const DAY_MS = 24 * 60 * 60 * 1000
const at = (offsetMs: number) => () => new Date(Date.parse(MEASURED_AT) + offsetMs)

let dir: string
let cacheDir: string
let fakePython: string

/**
 * A stand-in for the pipeline's Python: logs its arguments, answers `--identify` with identity.json and a
 * measurement with measure.json (and the exit code in measure.code), whatever the script path it is given.
 */
async function writeFakePython(identity: unknown, measurement: unknown, measureExit = 0): Promise<void> {
  await writeFile(path.join(dir, 'identity.json'), typeof identity === 'string' ? identity : JSON.stringify(identity))
  await writeFile(path.join(dir, 'measure.json'), typeof measurement === 'string' ? measurement : JSON.stringify(measurement))
  await writeFile(
    fakePython,
    [
      '#!/bin/sh',
      'here=$(dirname "$0")',
      'echo "$*" >> "$here/calls.log"',
      'case " $* " in',
      `  *" --identify "*) cat "$here/identity.json"; exit 0 ;;`,
      `  *) echo "measuring on stderr" >&2; cat "$here/measure.json"; exit ${measureExit} ;;`,
      'esac',
      '',
    ].join('\n'),
  )
  await chmod(fakePython, 0o755)
}

async function calls(): Promise<string[]> {
  try {
    return (await readFile(path.join(dir, 'calls.log'), 'utf8')).trim().split('\n')
  } catch {
    return []
  }
}

const measurements = async () => (await calls()).filter((line) => !line.includes('--identify')).length

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'calibrate-test-'))
  cacheDir = path.join(dir, 'cache')
  fakePython = path.join(dir, 'fake-python')
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('calibrate with a fake python', () => {
  it('measures on a miss, writes the cache, and passes the script path and GPU index', async () => {
    await writeFakePython(H200_IDENTITY, H200_CALIBRATED)
    const result = await calibrate(fakePython, { cacheDir, gpuIndex: 0, now: at(DAY_MS) })
    expect(result).toEqual(H200_CALIBRATED)
    const log = await calls()
    expect(log).toHaveLength(2)
    expect(log[0]).toMatch(/calibrate\.py --identify --gpu 0$/)
    expect(log[1]).toMatch(/calibrate\.py --gpu 0$/)
    const files = await readdir(cacheDir)
    expect(files).toEqual([path.basename(calibrationCachePath(cacheDir, H200_IDENTITY))])
    const stored = CalibratedSchema.parse(JSON.parse(await readFile(path.join(cacheDir, files[0] ?? ''), 'utf8')))
    expect(stored.fromCache).toBe(false)
  })

  it('answers a second call from the cache without measuring again', async () => {
    await writeFakePython(H200_IDENTITY, H200_CALIBRATED)
    await calibrate(fakePython, { cacheDir, now: at(DAY_MS) })
    const second = await calibrate(fakePython, { cacheDir, now: at(2 * DAY_MS) })
    expect(second.status).toBe('calibrated')
    expect(second).toEqual({ ...H200_CALIBRATED, fromCache: true })
    expect(await measurements()).toBe(1)
  })

  it('with an identityKey, a later call with a fresh entry starts no Python at all; another key identifies again', async () => {
    await writeFakePython(H200_IDENTITY, H200_CALIBRATED)
    const key = 'python3|2.11.0+cu130|580.159.04|GPU-f78f0d7d'
    await calibrate(fakePython, { cacheDir, now: at(DAY_MS), identityKey: key })
    expect(await calls()).toHaveLength(2)
    const second = await calibrate(fakePython, { cacheDir, now: at(2 * DAY_MS), identityKey: key })
    expect(second).toEqual({ ...H200_CALIBRATED, fromCache: true })
    expect(await calls()).toHaveLength(2)
    await calibrate(fakePython, { cacheDir, now: at(2 * DAY_MS), identityKey: `${key}|driver changed` })
    expect((await calls()).filter((line) => line.includes('--identify'))).toHaveLength(2)
  })

  it('measures again once the entry is older than 7 days', async () => {
    await writeFakePython(H200_IDENTITY, H200_CALIBRATED)
    await calibrate(fakePython, { cacheDir, now: at(0) })
    const stillFresh = await calibrate(fakePython, { cacheDir, now: at(CALIBRATION_MAX_AGE_MS) })
    expect(stillFresh.status === 'calibrated' && stillFresh.fromCache).toBe(true)
    const expired = await calibrate(fakePython, { cacheDir, now: at(CALIBRATION_MAX_AGE_MS + 1) })
    expect(expired.status === 'calibrated' && expired.fromCache).toBe(false)
    expect(await measurements()).toBe(2)
  })

  it('misses when the driver (part of the key) changes, and keeps both entries', async () => {
    await writeFakePython(H200_IDENTITY, H200_CALIBRATED)
    await calibrate(fakePython, { cacheDir, now: at(DAY_MS) })
    const newDriver = { ...H200_IDENTITY, gpu: { ...H200_IDENTITY.gpu, driver: '590.1.2' } }
    await writeFakePython(newDriver, { ...H200_CALIBRATED, gpu: newDriver.gpu })
    const result = await calibrate(fakePython, { cacheDir, now: at(DAY_MS) })
    expect(result.status === 'calibrated' && result.gpu.driver).toBe('590.1.2')
    expect(await measurements()).toBe(2)
    expect(await readdir(cacheDir)).toHaveLength(2)
  })

  it('force measures despite a fresh entry, and a corrupt entry is a miss', async () => {
    await writeFakePython(H200_IDENTITY, H200_CALIBRATED)
    await calibrate(fakePython, { cacheDir, now: at(DAY_MS) })
    await calibrate(fakePython, { cacheDir, now: at(DAY_MS), force: true })
    expect(await measurements()).toBe(2)
    await writeFile(calibrationCachePath(cacheDir, H200_IDENTITY), '{"status":"calibrated", truncated')
    const result = await calibrate(fakePython, { cacheDir, now: at(DAY_MS) })
    expect(result.status === 'calibrated' && result.fromCache).toBe(false)
    expect(await measurements()).toBe(3)
  })

  it('passes the GPU index and extra script arguments through as separate arguments', async () => {
    const gpu3 = { ...H200_IDENTITY, gpu: { ...H200_IDENTITY.gpu, index: 3 } }
    await writeFakePython(gpu3, { ...H200_CALIBRATED, gpu: gpu3.gpu })
    await calibrate(fakePython, { cacheDir, gpuIndex: 3, scriptArgs: ['--size', '4096'], now: at(DAY_MS) })
    const log = await calls()
    expect(log[0]).toMatch(/--identify --gpu 3$/)
    expect(log[1]).toMatch(/--gpu 3 --size 4096$/)
  })

  it('returns unavailable from the identify step without measuring or caching', async () => {
    const unavailable = { status: 'unavailable', reason: 'torch.cuda.is_available() is False', torch: '2.11.0', measuredAt: MEASURED_AT }
    await writeFakePython(unavailable, H200_CALIBRATED)
    const result = await calibrate(fakePython, { cacheDir })
    expect(result).toEqual(unavailable)
    expect(await measurements()).toBe(0)
    expect(existsSync(cacheDir)).toBe(false)
  })

  it('rejects with the reason and stderr when the measurement reports an error', async () => {
    await writeFakePython(H200_IDENTITY, { status: 'error', reason: 'OutOfMemoryError: CUDA out of memory', torch: '2.11.0' }, 1)
    const failure = calibrate(fakePython, { cacheDir })
    await expect(failure).rejects.toThrow(CalibrationError)
    await expect(failure).rejects.toThrow(/OutOfMemoryError: CUDA out of memory[\s\S]*measuring on stderr/)
    expect(existsSync(cacheDir)).toBe(false)
  })

  it('rejects output that is not JSON, or JSON of the wrong shape, naming the command', async () => {
    await writeFakePython('Traceback (most recent call last): boom', H200_CALIBRATED)
    await expect(calibrate(fakePython, { cacheDir })).rejects.toThrow(/printed no JSON.*fake-python calibrate\.py --identify/)
    await writeFakePython(H200_IDENTITY, { ...H200_CALIBRATED, bf16Tflops: 'fast' })
    await expect(calibrate(fakePython, { cacheDir })).rejects.toThrow(/does not match the schema[\s\S]*bf16Tflops/)
  })

  it('rejects a python that does not exist, naming it', async () => {
    await expect(calibrate(path.join(dir, 'no-such-python'), { cacheDir })).rejects.toThrow(/could not run .*no-such-python.*ENOENT/)
  })

  it('rejects a bad gpuIndex before running anything', async () => {
    await writeFakePython(H200_IDENTITY, H200_CALIBRATED)
    await expect(calibrate(fakePython, { cacheDir, gpuIndex: -1 })).rejects.toThrow(/gpuIndex must be a non-negative integer, got -1/)
    expect(await calls()).toEqual([])
  })
})

describe('cache key', () => {
  it('is readable and changes with the name, uuid, driver and torch version', () => {
    const key = calibrationCacheKey(H200_IDENTITY)
    expect(key).toMatch(/^nvidia-h200-[0-9a-f]{16}$/)
    const variants = [
      { ...H200_IDENTITY, gpu: { ...H200_IDENTITY.gpu, uuid: null } },
      { ...H200_IDENTITY, gpu: { ...H200_IDENTITY.gpu, driver: '1' } },
      { ...H200_IDENTITY, gpu: { ...H200_IDENTITY.gpu, name: 'NVIDIA H100 80GB HBM3' } },
      { ...H200_IDENTITY, torch: '2.10.0' },
    ]
    for (const variant of variants) expect(calibrationCacheKey(variant)).not.toBe(key)
    expect(calibrationCacheKey({ ...H200_IDENTITY, gpu: { ...H200_IDENTITY.gpu, index: 5 } })).toBe(key)
  })
})

describe('vendor peaks', () => {
  it('labels the H200 SXM datasheet figures as vendor peak and tells NVL apart', () => {
    expect(vendorPeakFor('NVIDIA H200')).toMatchObject({ label: 'vendor peak', gpu: 'NVIDIA H200 SXM', bf16Tflops: 989, memoryBandwidthGBs: 4800 })
    expect(vendorPeakFor('NVIDIA H200 NVL')?.gpu).toBe('NVIDIA H200 NVL')
    expect(vendorPeakFor('NVIDIA H100 80GB HBM3')?.memoryBandwidthGBs).toBe(3350)
    expect(vendorPeakFor('NVIDIA GeForce RTX 4090')?.bf16Tflops).toBe(165.2)
    expect(vendorPeakFor('Some Future GPU')).toBeNull()
  })
})

describe('calibrate with the real python here', () => {
  // /usr/bin/python3 has torch 1.13 built without CUDA (or no torch at all on other machines): never a GPU.
  it.skipIf(!existsSync('/usr/bin/python3'))('resolves to unavailable with the reason, and caches nothing', async () => {
    const result = await calibrate('/usr/bin/python3', { cacheDir })
    expect(result.status).toBe('unavailable')
    if (result.status === 'unavailable') expect(result.reason).toMatch(/torch/)
    expect(existsSync(cacheDir)).toBe(false)
  })
})
