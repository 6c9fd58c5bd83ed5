import { z } from 'zod'

export const GpuDeviceSchema = z.object({
  index: z.number().int().nonnegative(),
  name: z.string(),
  uuid: z.string().nullable(),
  memoryTotalMiB: z.number().nullable(),
})
export type GpuDevice = z.infer<typeof GpuDeviceSchema>

export const PythonInfoSchema = z.object({
  executable: z.string(),
  version: z.string(),
  torch: z.string(),
  cudaAvailable: z.boolean(),
  cudaVersion: z.string().nullable(),
  deviceCount: z.number().int().nonnegative(),
})
export type PythonInfo = z.infer<typeof PythonInfoSchema>

/** Everything needed to judge whether two runs are comparable. */
export const EnvironmentSchema = z.object({
  capturedAt: z.string(),
  host: z.string(),
  platform: z.string(),
  cpuModel: z.string(),
  cpuCount: z.number().int().positive(),
  memoryBytes: z.number().nonnegative(),
  node: z.string(),
  python: PythonInfoSchema.nullable(),
  gpus: z.array(GpuDeviceSchema),
  driverVersion: z.string().nullable(),
  cudaDriverVersion: z.string().nullable(),
  git: z.object({ commit: z.string(), dirty: z.boolean() }).nullable(),
})
export type Environment = z.infer<typeof EnvironmentSchema>
