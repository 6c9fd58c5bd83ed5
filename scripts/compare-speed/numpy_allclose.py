"""numpy side of the comparison speed benchmark. usage: numpy_allclose.py CAND.pt REF.pt [--stats]
Plain mode: np.allclose only. --stats: the same figures plugin/compare reports (max abs/rel, count outside,
worst element, per-row cosine)."""
import json
import sys
import time

import numpy as np
import torch

cand_path, ref_path = sys.argv[1], sys.argv[2]
stats = "--stats" in sys.argv
t0 = time.perf_counter()
a = torch.load(cand_path)["data"].numpy()
b = torch.load(ref_path)["data"].numpy()
t1 = time.perf_counter()
rtol, atol = 1e-3, 1e-5
out = {"allclose": bool(np.allclose(a, b, rtol=rtol, atol=atol))}
if stats:
    a64 = a.astype(np.float64)
    b64 = b.astype(np.float64)
    d = np.abs(a64 - b64)
    bound = atol + rtol * np.abs(b64)
    margin = d - bound
    out["maxAbs"] = float(d.max())
    out["maxRel"] = float((d / (np.abs(b64) + 1e-10)).max())
    out["outside"] = int((margin > 0).sum())
    out["worst"] = int(margin.argmax())
    cos = (a64 * b64).sum(1) / np.sqrt((a64 * a64).sum(1) * (b64 * b64).sum(1))
    out["minCosine"] = float(cos.min())
t2 = time.perf_counter()
out["loadSeconds"] = t1 - t0
out["compareSeconds"] = t2 - t1
print(json.dumps(out))
