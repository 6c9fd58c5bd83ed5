"""Writes small pipeline output folders in the contract layout (§2) for plugin/compare's I/O tests:
  ok/          a consistent -k run (DNABERT dict-of-lists format, ESM list of tensors, merged, TSVs, state file)
  same/        a byte-identical copy of ok/ (different folder)
  empty/       like ok/ but output_2_merged.pt has data (0, 3328) (the empty-merged race)
  model300/    like ok/ but the state file says -m 300
  emptyprot/   like ok/ plus two frames of one all-N read whose protein is empty (kept by the optimised tool,
               dropped by the vanilla rules; contract §8)
usage: /usr/bin/python3 make_outputs.py OUT_DIR"""
import json
import os
import shutil
import sys

import torch

root = sys.argv[1]
STEM = "sample"


def write_run(out, empty_merged=False, expected_length=500, model="500_model.pth", empty_frames=False):
    g = torch.Generator().manual_seed(7)
    nuc = os.path.join(out, f"{STEM}_nucleotide")
    prot = os.path.join(out, f"{STEM}_protein")
    merged = os.path.join(out, f"{STEM}_merged")
    for d in (nuc, prot, merged, os.path.join(out, ".checkpoints")):
        os.makedirs(d, exist_ok=True)
    preds, chunks, frames = [], {}, []
    empty_ids = []
    for f, n in ((1, 3), (2, 2)):
        ids = [f"s{f}{i}_chunk_1{'F' if i % 2 == 0 else 'R'}{1 + i % 3}" for i in range(n)]
        frames += ids
        dna = torch.randn(n, 768, generator=g)
        esm = torch.randn(n, 2560, generator=g)
        if empty_frames and f == 2:
            # Drawn from their own generator, so the frames shared with ok/ keep identical values.
            extra = torch.Generator().manual_seed(11)
            empty_ids = ["nread_chunk_1F1", "nread_chunk_1R1"]
            ids = ids + empty_ids
            dna = torch.cat([dna, torch.randn(2, 768, generator=extra)])
            esm = torch.cat([esm, torch.randn(2, 2560, generator=extra)])
            n += 2
        torch.save({"nucleotide": ids, "data": [{"label": i, "mean_representation": dna[k].tolist()} for k, i in enumerate(ids)], "version": "1.0", "status": "complete"}, os.path.join(nuc, f"output_{f}_DNABERT_S.pt"))
        # ESM rows in a different order than DNABERT (vanilla follows its batch order): matching must be by id
        order = list(reversed(range(n)))
        torch.save({"proteins": [ids[k] for k in order], "data": [esm[k].clone() for k in order], "version": "1.0", "status": "complete"}, os.path.join(prot, f"output_{f}_ESM.pt"))
        data = torch.cat([dna, esm], dim=1)
        if empty_merged and f == 2:
            data = torch.zeros(0, 3328)
        torch.save({"ids": ids, "data": data, "version": "1.0", "status": "complete"}, os.path.join(merged, f"output_{f}_merged.pt"))
        for k, i in enumerate(ids):
            p = float(torch.sigmoid(data[k, 0]).item()) if k < data.shape[0] else 0.5
            preds.append((i, p))
    with open(os.path.join(merged, "prediction_results.txt"), "w") as fh:
        fh.write("Sequence_ID\tPrediction\tscore1\tscore2\n")
        for i, p in preds:
            fh.write(f"{i}\t{'virus' if p > 0.5 else 'others'}\t{1 - p}\t{p}\n")
    for i, p in preds:
        c = i[:-2]
        lo, hi = chunks.get(c, (0.0, 0.0))
        chunks[c] = (max(lo, 1 - p), max(hi, p))
    with open(os.path.join(merged, "prediction_results_highestscore.csv"), "w") as fh:
        fh.write("Modified_ID\tIs_Virus\tmax_score_0\tmax_score_1\n")
        for c, (m0, m1) in chunks.items():
            fh.write(f"{c}\t{m1 >= m0}\t{m0}\t{m1}\n")
    with open(os.path.join(out, f"{STEM}_protein.faa"), "w") as fh:
        for i in frames:
            fh.write(f">{i}\nMKV\n")
        for i in empty_ids:
            fh.write(f">{i}\n\n")
    with open(os.path.join(out, ".checkpoints", "pipeline_state.json"), "w") as fh:
        json.dump({"pipeline_config": {"config_hash": "x", "expected_length": expected_length, "model_path": model}, "stages": {}}, fh)


write_run(os.path.join(root, "ok"))
shutil.copytree(os.path.join(root, "ok"), os.path.join(root, "same"))
write_run(os.path.join(root, "empty"), empty_merged=True)
write_run(os.path.join(root, "model300"), expected_length=300, model="300_model.pth")
write_run(os.path.join(root, "emptyprot"), empty_frames=True)
with open(os.path.join(root, "input.fa"), "w") as fh:
    fh.write(">s10\nACGT\n>s11\nACGT\n")
