#!/usr/bin/env python3
"""Side-by-side benchmark of Berth and CNCF Distribution (Debian package docker-registry).

Both registries run on loopback over the same disk, are seeded with the same content, and are
measured alternately, round by round, with wrk (HTTP load), curl (pushes) and skopeo (a real
client push). Every scenario checks status codes (and, for pulls, a sampled digest) so errors never
count as throughput. Prints a markdown table of medians: Berth, Distribution, ratio.

Usage: bench/run [--rounds N] [--duration SECONDS] [--connections C] [--short]
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.dirname(os.path.abspath(__file__))
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def die(message):
    print(f"bench: {message}", file=sys.stderr)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, process, name, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            die(f"{name} exited early with status {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/v2/", timeout=1) as response:
                if response.status == 200:
                    return
        except Exception:
            time.sleep(0.05)
    die(f"{name} did not become ready")


class Registry:
    def __init__(self, name, command, port, workdir, env=None):
        self.name = name
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = open(os.path.join(workdir, f"{name}.log"), "w")
        started = time.time()
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                        start_new_session=True)
        wait_ready(self.url, self.process, name)
        self.ready_seconds = time.time() - started

    def peak_rss_mib(self):
        pids = [self.process.pid] + children(self.process.pid)
        peak = 0
        for pid in pids:
            try:
                with open(f"/proc/{pid}/status") as status:
                    for line in status:
                        if line.startswith("VmHWM:"):
                            peak = max(peak, int(line.split()[1]))
            except FileNotFoundError:
                pass
        return peak / 1024

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def children(pid):
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]
    except Exception:
        return []


def http(method, url, body=None, headers=None, expect=(200,)):
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            status, data, response_headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, data, response_headers = error.code, error.read(), error.headers
    if status not in expect:
        die(f"{method} {url} answered {status}: {data[:300]!r}")
    return status, data, response_headers


def digest_of(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def absolute(base, location):
    return location if location.startswith("http") else base + location


def push_blob(base, repository, data):
    """POST then PUT with the whole blob: the monolithic push every registry supports."""
    digest = digest_of(data)
    _, _, headers = http("POST", f"{base}/v2/{repository}/blobs/uploads/", b"", expect=(202,))
    url = absolute(base, headers["Location"])
    separator = "&" if "?" in url else "?"
    http("PUT", f"{url}{separator}digest={digest}", data, {"Content-Type": "application/octet-stream"},
         expect=(201,))
    return digest


def push_blob_chunked(base, repository, data, chunk):
    digest = digest_of(data)
    _, _, headers = http("POST", f"{base}/v2/{repository}/blobs/uploads/", b"", expect=(202,))
    location = headers["Location"]
    for start in range(0, len(data), chunk):
        part = data[start:start + chunk]
        url = absolute(base, location)
        _, _, headers = http("PATCH", url, part, {"Content-Type": "application/octet-stream",
                                                  "Content-Range": f"{start}-{start + len(part) - 1}"},
                             expect=(202,))
        location = headers["Location"]
    url = absolute(base, location)
    separator = "&" if "?" in url else "?"
    http("PUT", f"{url}{separator}digest={digest}", b"", expect=(201,))
    return digest


def seed(base, content):
    """The same repository layout in both registries: an image and 100 tags."""
    repository = "bench/app"
    config = push_blob(base, repository, content["config"])
    small = push_blob(base, repository, content["small"])
    large = push_blob(base, repository, content["large"])
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config,
                   "size": len(content["config"])},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": d, "size": s}
                   for d, s in ((small, len(content["small"])), (large, len(content["large"])))],
    }).encode()
    for tag in ["latest"] + [f"v{i:03d}" for i in range(100)]:
        http("PUT", f"{base}/v2/{repository}/manifests/{tag}", manifest, {"Content-Type": OCI_MANIFEST},
             expect=(201,))
    return {"manifest_digest": digest_of(manifest), "small": small, "large": large, "manifest": manifest}


def verify_samples(base, seeded):
    """Sampled responses must carry the right bytes, so that errors never count as throughput."""
    _, manifest, headers = http("GET", f"{base}/v2/bench/app/manifests/latest", headers={"Accept": OCI_MANIFEST})
    if digest_of(manifest) != seeded["manifest_digest"] or headers["Docker-Content-Digest"] != seeded["manifest_digest"]:
        die(f"{base} served a wrong manifest")
    _, blob, _ = http("GET", f"{base}/v2/bench/app/blobs/{seeded['small']}")
    if digest_of(blob) != seeded["small"]:
        die(f"{base} served a wrong 4 KiB blob")


def wrk(url, duration, connections, extra=None, script=None):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    for header in extra or []:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    command.append(url)
    out = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    transfer = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", out)
    mb = float(transfer.group(1)) * {"B": 1 / 2**20, "KB": 1 / 1024, "MB": 1, "GB": 1024}[transfer.group(2)]
    p99 = parse_latency(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors:.*", out)
    if errors or socket_errors:
        die(f"wrk saw errors on {url}:\n{out}")
    return {"rps": rps, "mbps": mb * 1.048576, "p99_ms": p99}


def hey(url, duration, connections, method, headers):
    """hey, for what wrk cannot do (wrk waits for a body after HEAD)."""
    command = ["hey", "-z", f"{duration}s", "-c", str(connections), "-m", method]
    for header in headers:
        command += ["-H", header]
    command.append(url)
    out = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60).stdout
    statuses = re.findall(r"\[(\d+)\]\s+(\d+) responses", out)
    if not statuses or any(code != "200" for code, _ in statuses) or "Error distribution" in out:
        die(f"hey saw errors on {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = float(re.search(r"99% in ([\d.]+) secs", out).group(1)) * 1000
    return {"rps": rps, "p99_ms": p99}


def parse_latency(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def timed_pushes(base, repository, blobs, chunk=None):
    started = time.time()
    total = 0
    for data in blobs:
        if chunk:
            push_blob_chunked(base, repository, data, chunk)
        else:
            push_blob(base, repository, data)
        total += len(data)
    return {"mbps": total / 1e6 / (time.time() - started)}


def skopeo_push(base, layout, repository):
    started = time.time()
    subprocess.run(["skopeo", "copy", "-q", "--dest-tls-verify=false", f"oci:{layout}:latest",
                    f"docker://{base.replace('http://', '')}/{repository}:latest"], check=True,
                   capture_output=True, timeout=600)
    return time.time() - started


def make_layout(workdir, size, name):
    """An OCI layout with one layer of fresh incompressible content, made with umoci. Each round
    pushes new content, so that no client or registry can skip the upload."""
    layout = os.path.join(workdir, f"layout-{name}")
    rootfs = os.path.join(workdir, f"rootfs-{name}")
    os.makedirs(os.path.join(rootfs, "data"))
    with open(os.path.join(rootfs, "data", "payload"), "wb") as f:
        f.write(os.urandom(size))
    subprocess.run(["umoci", "init", "--layout", layout], check=True)
    subprocess.run(["umoci", "new", "--image", f"{layout}:latest"], check=True)
    subprocess.run(["umoci", "insert", "--image", f"{layout}:latest", rootfs, "/"], check=True,
                   capture_output=True)
    blob_dir = os.path.join(layout, "blobs", "sha256")
    pushed = sum(os.path.getsize(os.path.join(blob_dir, f)) for f in os.listdir(blob_dir))
    return layout, pushed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--short", action="store_true", help="one quick round, to prove the suite works")
    args = parser.parse_args()
    if args.short:
        args.rounds, args.duration = 1, 2
    for tool in ("wrk", "hey", "skopeo", "umoci", "docker-registry"):
        if not shutil.which(tool):
            die(f"{tool} is not installed (apt-get install wrk hey skopeo umoci docker-registry)")

    workdir = tempfile.mkdtemp(prefix="berth-bench-", dir=os.environ.get("BENCH_DIR", "/var/tmp"))
    mb = 1024 * 1024
    content = {"config": b'{"architecture":"amd64","os":"linux"}', "small": os.urandom(4096),
               "large": os.urandom(64 * mb)}
    push_count_small = 20 if args.short else 100
    push_count_large = 2 if args.short else 6

    distribution_config = os.path.join(workdir, "distribution.yml")
    with open(distribution_config, "w") as f:
        f.write(f"""version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: {workdir}/distribution-data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:{{port}}
""")
    ports = {"berth": free_port(), "distribution": free_port()}
    with open(distribution_config) as f:
        text = f.read().replace("{port}", str(ports["distribution"]))
    with open(distribution_config, "w") as f:
        f.write(text)

    # Berth runs through its launcher, with the launcher's default JVM settings.
    registries = {
        "berth": Registry("berth", [os.path.join(ROOT, "berth"), "serve",
                                    "--listen", f"127.0.0.1:{ports['berth']}", "--data", f"{workdir}/berth-data"],
                          ports["berth"], workdir),
        "distribution": Registry("distribution", ["docker-registry", "serve", distribution_config],
                                 ports["distribution"], workdir),
    }
    mixed_blobs = os.path.join(workdir, "mixed-blobs.txt")
    with open(mixed_blobs, "w") as f:
        for _ in range(256):
            data = os.urandom(4096)
            f.write(f"{digest_of(data)} {data.hex()}\n")
    os.environ["BENCH_MIXED_BLOBS"] = mixed_blobs
    results = {name: {} for name in registries}

    def record(name, scenario, value):
        results[name].setdefault(scenario, []).append(value)

    try:
        seeded = {name: seed(r.url, content) for name, r in registries.items()}
        for name, r in registries.items():
            _, body, _ = http("GET", f"{r.url}/v2/bench/app/blobs/{seeded[name]['large']}")
            if digest_of(body) != seeded[name]["large"]:
                die(f"{name} served a corrupt 64 MiB blob")
        # Warm both up (JIT compilation, caches) before anything is measured.
        for name, r in registries.items():
            for path in ("/v2/", "/v2/bench/app/manifests/latest", "/v2/bench/app/tags/list",
                         f"/v2/bench/app/blobs/{seeded[name]['small']}"):
                wrk(r.url + path, 2, args.connections, [f"Accept: {OCI_MANIFEST}"])
        order = ["berth", "distribution"]
        for round_number in range(args.rounds):
            for name in (order if round_number % 2 == 0 else order[::-1]):
                r = registries[name]
                s = seeded[name]
                print(f"round {round_number + 1}: {name}", file=sys.stderr)
                d, c = args.duration, args.connections
                record(name, "GET /v2/", wrk(f"{r.url}/v2/", d, c))
                record(name, "manifest GET by tag", wrk(f"{r.url}/v2/bench/app/manifests/latest", d, c,
                                                        [f"Accept: {OCI_MANIFEST}"]))
                record(name, "manifest HEAD by digest (hey)",
                       hey(f"{r.url}/v2/bench/app/manifests/{s['manifest_digest']}", d, c, "HEAD",
                           [f"Accept: {OCI_MANIFEST}"]))
                record(name, "tag list (101 tags)", wrk(f"{r.url}/v2/bench/app/tags/list", d, c))
                record(name, "4 KiB blob GET", wrk(f"{r.url}/v2/bench/app/blobs/{s['small']}", d, c))
                record(name, "64 MiB blob GET", wrk(f"{r.url}/v2/bench/app/blobs/{s['large']}", d, 4))
                verify_samples(r.url, s)
                record(name, "mixed 75% manifest GET / 25% blob push",
                       wrk(f"{r.url}/v2/bench/app/manifests/latest", d, c, [f"Accept: {OCI_MANIFEST}"],
                           os.path.join(HERE, "mixed.lua")))
                tag = f"r{round_number}"
                record(name, "push 1 MiB blobs (monolithic)",
                       timed_pushes(r.url, f"push/{tag}", [os.urandom(mb) for _ in range(push_count_small)]))
                record(name, "push 64 MiB blobs (monolithic)",
                       timed_pushes(r.url, f"push/{tag}", [os.urandom(64 * mb) for _ in range(push_count_large)]))
                record(name, "push 64 MiB blobs (8 MiB chunks)",
                       timed_pushes(r.url, f"push/{tag}", [os.urandom(64 * mb) for _ in range(push_count_large)],
                                    chunk=8 * mb))
                layout, layout_bytes = make_layout(workdir, 64 * mb, f"{name}-{tag}")
                seconds = skopeo_push(r.url, layout, f"skopeo/{tag}")
                record(name, "skopeo push, 64 MiB layer", {"mbps": layout_bytes / 1e6 / seconds})
        for name, r in registries.items():
            results[name]["peak RSS"] = [{"mib": r.peak_rss_mib()}]
            results[name]["ready after start"] = [{"seconds": r.ready_seconds}]
    finally:
        for r in registries.values():
            r.stop()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)

    print_table(results, args)


def print_table(results, args):
    print(f"\n{args.rounds} round(s), {args.duration} s per load scenario, {args.connections} connections "
          f"(4 for 64 MiB GET); medians.\n")
    print("| scenario | metric | Berth | Distribution | ratio |")
    print("|---|---|---:|---:|---:|")
    for scenario in results["berth"]:
        berth, distribution = results["berth"][scenario], results["distribution"][scenario]
        metrics = [("rps", "req/s", True), ("mbps", "MB/s", True), ("p99_ms", "p99 ms", False),
                   ("mib", "MiB", False), ("seconds", "s", False)]
        for key, label, higher_is_better in metrics:
            if key not in berth[0]:
                continue
            if key == "mbps" and "rps" in berth[0] and not scenario.startswith("64 MiB"):
                continue
            if key == "rps" and scenario.startswith("64 MiB"):
                continue
            b = statistics.median(v[key] for v in berth)
            d = statistics.median(v[key] for v in distribution)
            ratio = (b / d if higher_is_better else d / b) if b and d else float("nan")
            print(f"| {scenario} | {label} | {b:,.1f} | {d:,.1f} | {ratio:.2f}× |")
    print("\nratio: Berth ÷ Distribution for throughput, Distribution ÷ Berth for latency, memory and time "
          "(above 1 means Berth is better).")


if __name__ == "__main__":
    main()
