export { synthetic, committed, lambdaReads, realSample, type SampleSpec } from './samples.ts'
export { scalingBenchmark, stageThroughputBenchmark, memoryBenchmark, endToEndBenchmark } from './benchmarks.ts'
export { validateAgainstReference, expectFaultCaught, validateGpuConsistency, validateAgainstFreshVanilla } from './validations.ts'
export { projectionCheckBenchmark, type ProjectionCheckOptions } from './projection-check.ts'
