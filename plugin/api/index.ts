export { synthetic, committed, lambdaReads, realSample, sampleManifest, type SampleSpec, type ManifestRef } from './samples.ts'
export { scalingBenchmark, stageThroughputBenchmark, memoryBenchmark, endToEndBenchmark } from './benchmarks.ts'
export { validateAgainstReference, expectFaultCaught, validateGpuConsistency, validateAgainstFreshVanilla } from './validations.ts'
export { projectionCheckBenchmark, type ProjectionCheckOptions } from './projection-check.ts'
