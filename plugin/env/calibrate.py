"""Measure what one GPU can physically do: dense matmul rate and device memory bandwidth.

Run with the Python that runs the pipeline (so the torch, CUDA and driver are the ones the pipeline sees).
Prints exactly one JSON object on stdout; diagnostics go to stderr.

  calibrate.py [--gpu N] [--identify] [--size 8192] [--iterations 10] [--repeats 5] [--copy-mib 2048]
               [--precisions bf16,fp16,tf32,fp32]

  --identify   print {"status": "identified", gpu, visibleGpuNames, torch, cuda} without measuring (cache key).

Statuses: "identified", "calibrated", "unavailable" (no torch / no CUDA / bad GPU index; exit 0),
"error" (the measurement itself failed; exit 1). Works with torch 1.13 and 2.x; stdlib only besides torch.
"""

import argparse
import datetime
import json
import subprocess
import sys
import time

STARTED = time.time()
WARMUP = 3


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def emit(obj, code=0):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()
    sys.exit(code)


def unavailable(reason, torch_version=None):
    emit({"status": "unavailable", "reason": reason, "torch": torch_version, "measuredAt": now_iso()})


def driver_version(torch):
    """The NVIDIA driver version: NVML first (no subprocess), then nvidia-smi, then the CUDA driver API number."""
    try:
        import pynvml  # nvidia-ml-py; torch itself uses it when present

        pynvml.nvmlInit()
        try:
            version = pynvml.nvmlSystemGetDriverVersion()
        finally:
            pynvml.nvmlShutdown()
        return version.decode() if isinstance(version, bytes) else str(version)
    except Exception:
        pass
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout.strip().splitlines()
        if out and out[0].strip():
            return out[0].strip()
    except Exception:
        pass
    try:
        api = torch._C._cuda_getDriverVersion()  # e.g. 13000; private but long-lived
        return "cuda-driver-api-%d" % api
    except Exception:
        return None


def gpu_uuid(props):
    raw = getattr(props, "uuid", None)  # torch >= 2.0
    if raw is None:
        return None
    text = str(raw)
    return text if text.startswith("GPU-") else "GPU-" + text


def identify(torch, index):
    props = torch.cuda.get_device_properties(index)
    return {
        "status": "identified",
        "gpu": {
            "index": index,
            "name": torch.cuda.get_device_name(index),
            "uuid": gpu_uuid(props),
            "driver": driver_version(torch),
            "computeCapability": "%d.%d" % (props.major, props.minor),
            "memoryTotalMiB": round(props.total_memory / (1024 * 1024)),
            "multiprocessors": int(props.multi_processor_count),
        },
        "visibleGpuNames": [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())],
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
    }


def timed_best(torch, fn, iterations, repeats):
    """Per-repeat seconds per call: warm up, then time `iterations` calls between CUDA events, `repeats` times."""
    for _ in range(WARMUP):
        fn()
    torch.cuda.synchronize()
    samples = []
    for _ in range(repeats):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(iterations):
            fn()
        end.record()
        end.synchronize()
        samples.append(start.elapsed_time(end) / 1000.0 / iterations)
    return samples


def matmul_tflops(torch, device, n, dtype, tf32, iterations, repeats):
    previous = torch.backends.cuda.matmul.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = tf32
    try:
        # Random data: zeros let the tensor cores run measurably faster (less switching power), which flatters the ceiling.
        a = torch.randn(n, n, device=device, dtype=dtype)
        b = torch.randn(n, n, device=device, dtype=dtype)
        c = torch.empty(n, n, device=device, dtype=dtype)
        seconds = timed_best(torch, lambda: torch.matmul(a, b, out=c), iterations, repeats)
        del a, b, c
        return [2.0 * n ** 3 / s / 1e12 for s in seconds]
    finally:
        torch.backends.cuda.matmul.allow_tf32 = previous


def copy_gbs(torch, device, nbytes, iterations, repeats):
    elements = nbytes // 4
    x = torch.empty(elements, device=device, dtype=torch.float32).fill_(1.0)
    y = torch.empty_like(x)
    seconds = timed_best(torch, lambda: y.copy_(x), iterations, repeats)
    del x, y
    moved = 2 * elements * 4  # bytes read + bytes written
    return [moved / s / 1e9 for s in seconds], elements * 4


PRECISIONS = {"bf16": ("bfloat16", False), "fp16": ("float16", False), "tf32": ("float32", True), "fp32": ("float32", False)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpu", type=int, default=0)
    parser.add_argument("--identify", action="store_true")
    parser.add_argument("--size", type=int, default=8192)
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--copy-mib", type=int, default=2048)
    parser.add_argument("--precisions", default="bf16,fp16,tf32,fp32")
    args = parser.parse_args()
    precisions = [p for p in args.precisions.split(",") if p]
    unknown = [p for p in precisions if p not in PRECISIONS]
    if unknown or "bf16" not in precisions:
        parser.error("--precisions must include bf16 and only name %s; got %r" % (",".join(PRECISIONS), args.precisions))
    if min(args.size, args.iterations, args.repeats, args.copy_mib) <= 0:
        parser.error("--size, --iterations, --repeats and --copy-mib must be positive")

    try:
        import torch
    except Exception as exc:  # ImportError, or a broken install raising something else
        unavailable("torch is not importable by %s: %s" % (sys.executable, exc))
    if not torch.cuda.is_available():
        unavailable(
            "torch.cuda.is_available() is False (torch %s, CUDA build: %s)" % (torch.__version__, torch.version.cuda or "none"),
            torch.__version__,
        )
    count = torch.cuda.device_count()
    if not 0 <= args.gpu < count:
        unavailable("GPU index %d is not visible: torch sees %d device(s)" % (args.gpu, count), torch.__version__)

    identity = identify(torch, args.gpu)
    if args.identify:
        emit(identity)

    try:
        device = torch.device("cuda", args.gpu)
        torch.cuda.set_device(device)
        torch.manual_seed(0)
        samples = {}
        for name in precisions:
            dtype_name, tf32 = PRECISIONS[name]
            samples[name] = matmul_tflops(torch, device, args.size, getattr(torch, dtype_name), tf32, args.iterations, args.repeats)
        free, _total = torch.cuda.mem_get_info(device)
        # Two buffers plus headroom: shrink the copy rather than fail on a busy or small GPU.
        nbytes = min(args.copy_mib * 1024 * 1024, int(free * 0.4)) // 4096 * 4096
        bandwidth, copied = copy_gbs(torch, device, nbytes, 2 * args.iterations, args.repeats)
        torch.cuda.empty_cache()
    except Exception as exc:
        emit({"status": "error", "reason": "%s: %s" % (type(exc).__name__, exc), "torch": torch.__version__, "measuredAt": now_iso()}, 1)

    best = {name: max(values) for name, values in samples.items()}
    n = args.size
    method = (
        "best of %d repeats × %d timed %d×%d×%d torch.matmul (2·n³ FLOP each, random data, %d warm-ups, CUDA events) per precision %s; "
        "bandwidth: best of %d repeats × %d y.copy_(x) of %.0f MiB float32, counting bytes read + written; GPU %d (%s), torch %s"
        % (args.repeats, args.iterations, n, n, n, WARMUP, ",".join(precisions),
           args.repeats, 2 * args.iterations, copied / 1024 / 1024, args.gpu, identity["gpu"]["name"], torch.__version__)
    )
    result = dict(identity)
    result.update({
        "status": "calibrated",
        "bf16Tflops": best["bf16"],
        "fp16Tflops": best.get("fp16"),
        "tf32Tflops": best.get("tf32"),
        "fp32Tflops": best.get("fp32"),
        "memoryBandwidthGBs": max(bandwidth),
        "matmul": {"size": n, "iterations": args.iterations, "repeats": args.repeats, "samplesTflops": samples},
        "bandwidth": {"bytesPerCopy": copied, "iterations": 2 * args.iterations, "repeats": args.repeats, "samplesGBs": bandwidth},
        "method": method,
        "measuredAt": now_iso(),
        "durationSeconds": time.time() - STARTED,
        "fromCache": False,
    })
    emit(result)


if __name__ == "__main__":
    main()
