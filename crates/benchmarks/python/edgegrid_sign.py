"""Times Akamai's official Python EdgeGrid signer on the inputs of the Rust benchmark.

Usage: python edgegrid_sign.py INPUTS.json [--quick]

INPUTS.json is written by `cargo bench -p benchmarks --bench edgegrid_sign`
(target/bench-results/edgegrid_inputs.json): the credential, the three requests (GET, 1 KiB
POST, 128 KiB POST), a fixed timestamp and nonce, and the Rust signer's Authorization for
them. For each request this prints, as JSON on stdout, the median ns per operation of

* ``sign``: ``EdgeGridAuthHeaders.make_auth_header`` with a fresh timestamp and nonce, which is
  what ``EdgeGridAuth.__call__`` does per request (minus registering its redirect hook, which
  would grow the request's hook list on every timed call);
* ``pure``: the same with the fixed timestamp and nonce;

plus ``hashlib.sha256`` over the 128 KiB body, and whether the Python signature for the fixed
timestamp and nonce equals the Rust one (proving both sides sign identical inputs).
"""

import hashlib
import json
import platform
import sys
import timeit
from importlib.metadata import version

import requests
from akamai.edgegrid import EdgeGridAuth
from akamai.edgegrid.edgegrid import eg_timestamp, new_nonce


def median_ns(stmt, repeat, min_time):
    """Median over `repeat` runs of ns per call, each run calling often enough to last
    about `min_time` seconds."""
    timer = timeit.Timer(stmt)
    number, elapsed = timer.autorange()
    number = max(1, int(number * min_time / max(elapsed, 1e-9)))
    runs = sorted(t / number * 1e9 for t in timer.repeat(repeat=repeat, number=number))
    return runs[len(runs) // 2]


def main():
    inputs_path = sys.argv[1]
    quick = "--quick" in sys.argv[2:]
    repeat, min_time = (3, 0.1) if quick else (7, 0.4)
    with open(inputs_path, encoding="utf-8") as f:
        inputs = json.load(f)
    cred = inputs["credentials"]
    auth = EdgeGridAuth(
        client_token=cred["client_token"],
        client_secret=cred["client_secret"],
        access_token=cred["access_token"],
        max_body=cred["max_body"],
    )
    headers_auth = auth.ah
    timestamp, nonce = inputs["timestamp"], inputs["nonce"]
    out = {
        "python": platform.python_version(),
        "edgegrid_python": version("edgegrid-python"),
        "requests": version("requests"),
        "cases": {},
    }
    for case in inputs["cases"]:
        body = case["body"].encode("ascii")
        request = requests.Request(
            case["method"],
            case["url"],
            headers=dict(case["headers"]),
            data=body if body else None,
        ).prepare()
        expected = case["rust_authorization"]
        got = headers_auth.make_auth_header(request, timestamp, nonce)

        def sign(request=request):
            return headers_auth.make_auth_header(request, eg_timestamp(), new_nonce())

        def pure(request=request):
            return headers_auth.make_auth_header(request, timestamp, nonce)

        out["cases"][case["name"]] = {
            "body_len": len(body),
            "signature_matches_rust": got == expected,
            "sign_ns": median_ns(sign, repeat, min_time),
            "pure_ns": median_ns(pure, repeat, min_time),
        }
        if len(body) >= 128 * 1024:
            out["sha256_128k_ns"] = median_ns(
                lambda body=body: hashlib.sha256(body).digest(), repeat, min_time
            )
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
