import { lambdaReads, scalingBenchmark } from '../plugin/index.ts'

// Real viral sequence at read length: the 10,000 lambda phage reads of Debian's bowtie2-examples (1,000 on CPU).
// Short ORFs (≈ 40 residues) make many small batches, the hardest case for keeping the GPUs busy.
scalingBenchmark('scaling on the lambda phage reads', {
  sample: lambdaReads({ reads: { gpu: 10_000, cpu: 1_000 } }),
  gpus: [1, 2, 4, 8],
})
