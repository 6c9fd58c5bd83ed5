import { stageThroughputBenchmark, committed } from '../plugin/index.ts'

// Per-stage records/s and tokens/s on real viral reads (lambda phage, simulated Illumina reads).
stageThroughputBenchmark('stage throughput on lambda phage reads', {
  sample: committed('fixtures/samples/lambda-reads-100.fa'),
})
