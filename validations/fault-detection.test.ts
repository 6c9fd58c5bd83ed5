import { committed, expectFaultCaught } from '../plugin/index.ts'

// Each failure mode the real VirNucPro had (contract §6) is injected into the reference pipeline and must be caught
// with the right verdict and a message that names the problem.
const sample = committed('fixtures/samples/synth-tiny-fixed500-s42.fa')
const reference = 'fixtures/reference/synth-tiny-fixed500-s42'

expectFaultCaught('empty-merged', { sample, reference, expect: { verdict: 'fail', names: /0 rows|rows/ } })
expectFaultCaught('drop-rows', { sample, reference, expect: { verdict: 'fail', names: /missing/i } })
expectFaultCaught('duplicate-rows', { sample, reference, expect: { verdict: 'fail', names: /duplicate/i } })
expectFaultCaught('nan-embeddings', { sample, reference, expect: { verdict: 'fail', names: /NaN/ } })
expectFaultCaught('shuffle-ids', { sample, reference, expect: { verdict: 'fail', names: /./ } })
expectFaultCaught('wrong-model', { sample, reference, expect: { verdict: 'fail', names: /label|model/i } })
expectFaultCaught('perturb:1e-6', { sample, reference, expect: { verdict: 'pass', names: /.*/ } })
expectFaultCaught('crash-at:FEATURE_MERGING', { sample, reference, expect: { verdict: 'fail', names: /missing|no .*merged|exit/i } })
