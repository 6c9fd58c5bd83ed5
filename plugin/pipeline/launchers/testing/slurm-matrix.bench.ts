import { committed, scalingBenchmark } from '../../../index.ts'

scalingBenchmark('GPU counts submitted together', { sample: committed('fixtures/samples/synth-tiny-fixed500-s42.fa'), gpus: [1, 2] })
