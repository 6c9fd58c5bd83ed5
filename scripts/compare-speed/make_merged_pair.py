"""Writes two merged .pt files (ids + float32 [N, 3328]) for the comparison speed benchmark:
b = a + small noise, so some elements fall outside rtol 1e-3 / atol 1e-5.
usage: /usr/bin/python3 make_merged_pair.py OUT_DIR [N]"""
import os
import sys

import torch

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
os.makedirs(out, exist_ok=True)
g = torch.Generator().manual_seed(42)
a = torch.randn(n, 3328, generator=g)
b = a + torch.randn(n, 3328, generator=g) * 1e-4
ids = [f"s{i}_chunk_1F1" for i in range(n)]
for name, t in (("candidate", a), ("reference", b)):
    os.makedirs(os.path.join(out, name), exist_ok=True)
    torch.save({"ids": ids, "data": t, "version": "1.0", "status": "complete"}, os.path.join(out, name, "output_1_merged.pt"))
