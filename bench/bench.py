#!/usr/bin/env python3
"""Side-by-side benchmark of Berth and CNCF Distribution (Debian package docker-registry).

Both registries run on loopback over the same disk, are seeded with the same content, and are
measured alternately, round by round, with wrk (HTTP load), curl (pushes) and skopeo (a real
client push). Every scenario checks status codes (and, for pulls, a sampled digest) so errors never
count as throughput. Prints a markdown table of medians: Berth, Distribution, ratio.

Blob GETs answered with a redirect to a CDN are measured on a second pair of registries, configured
for it: Berth with `mirrors.cdn-url` and its content exported once with `berth mirror export`,
Distribution with its `redirect` storage middleware.

Usage: bench/run [--rounds N] [--duration SECONDS] [--connections C] [--short] [--only TEXT]
"""
import argparse
import concurrent.futures
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
from http.client import HTTPConnection
from urllib.parse import urlsplit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.dirname(os.path.abspath(__file__))
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
# Never resolved: the load tools do not follow redirects, and the checks only read the Location.
SCENARIOS = ("GET /v2/", "manifest GET by tag", "manifest HEAD by digest (hey)", "tag list (101 tags)",
             "4 KiB blob GET", "64 MiB blob GET", "mixed 75% manifest GET / 25% blob push",
             "push 1 MiB blobs (monolithic)", "push 64 MiB blobs (monolithic)", "push 64 MiB blobs (8 MiB chunks)",
             "skopeo push, 64 MiB layer", "build push: 20 images of 3 × 1 MiB, 4 at a time")
REDIRECT_SCENARIO = "blob GET redirect"
BUILD_PUSH = SCENARIOS[-1]


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


def push_blob(base, repository, data, digest=None):
    """POST then PUT with the whole blob: the monolithic push every registry supports."""
    digest = digest or digest_of(data)
    _, _, headers = http("POST", f"{base}/v2/{repository}/blobs/uploads/", b"", expect=(202,))
    url = absolute(base, headers["Location"])
    separator = "&" if "?" in url else "?"
    http("PUT", f"{url}{separator}digest={digest}", data, {"Content-Type": "application/octet-stream"},
         expect=(201,))
    return digest


def push_blob_chunked(base, repository, data, chunk, digest=None):
    digest = digest or digest_of(data)
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
    p50 = parse_latency(re.search(r"50%\s+([\d.]+\w+)", out).group(1))
    p99 = parse_latency(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors:.*", out)
    if errors or socket_errors:
        die(f"wrk saw errors on {url}:\n{out}")
    return {"rps": rps, "mbps": mb * 1.048576, "p50_ms": p50, "p99_ms": p99}


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
    p50 = float(re.search(r"50% in ([\d.]+) secs", out).group(1)) * 1000
    p99 = float(re.search(r"99% in ([\d.]+) secs", out).group(1)) * 1000
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99}


def parse_latency(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def settle_disk():
    """Writes out every dirty page before a timed push. A registry that does not sync its writes
    leaves them to the kernel's background writeback, which would otherwise compete with the next
    registry's measurement for the disk."""
    os.sync()


def timed_pushes(base, repository, blobs, chunk=None):
    """Pushes `blobs` one after another: bytes over time. The client hashes each blob before the
    clock starts, so that the time measured is the registry's."""
    digests = [digest_of(data) for data in blobs]
    settle_disk()
    started = time.time()
    total = 0
    for data, digest in zip(blobs, digests):
        if chunk:
            push_blob_chunked(base, repository, data, chunk, digest)
        else:
            push_blob(base, repository, data, digest)
        total += len(data)
    return {"mbps": total / 1e6 / (time.time() - started)}


def skopeo_push(base, layout, repository):
    started = time.time()
    subprocess.run(["skopeo", "copy", "-q", "--dest-tls-verify=false", f"oci:{layout}:latest",
                    f"docker://{base.replace('http://', '')}/{repository}:latest"], check=True,
                   capture_output=True, timeout=600)
    return time.time() - started


def make_layout(workdir, size, name, layers=1):
    """An OCI layout with `layers` layers of fresh incompressible content, `size` bytes each, made
    with umoci. Each round pushes new content, so that no client or registry can skip the upload."""
    layout = os.path.join(workdir, f"layout-{name}")
    subprocess.run(["umoci", "init", "--layout", layout], check=True)
    subprocess.run(["umoci", "new", "--image", f"{layout}:latest"], check=True)
    for layer in range(layers):
        rootfs = os.path.join(workdir, f"rootfs-{name}-{layer}")
        os.makedirs(os.path.join(rootfs, "data"))
        with open(os.path.join(rootfs, "data", f"payload-{layer}"), "wb") as f:
            f.write(os.urandom(size))
        subprocess.run(["umoci", "insert", "--image", f"{layout}:latest", rootfs, "/"], check=True,
                       capture_output=True)
        shutil.rmtree(rootfs)
    blob_dir = os.path.join(layout, "blobs", "sha256")
    pushed = sum(os.path.getsize(os.path.join(blob_dir, f)) for f in os.listdir(blob_dir))
    return layout, pushed


def distribution_config(workdir, name, port, middleware=""):
    """A Distribution configuration with filesystem storage under workdir; returns its path."""
    path = os.path.join(workdir, f"{name}.yml")
    with open(path, "w") as f:
        f.write(f"""version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: {workdir}/{name}-data
  delete:
    enabled: true
{middleware}http:
  addr: 127.0.0.1:{port}
""")
    return path


def start_berth(name, workdir, port, config=None):
    """Berth through its launcher, with the launcher's default JVM settings."""
    command = [os.path.join(ROOT, "berth"), "serve", "--listen", f"127.0.0.1:{port}",
               "--data", f"{workdir}/{name}-data"]
    if config:
        command += ["--config", config]
    return Registry(name, command, port, workdir)


def prime_class_data_sharing(workdir):
    """Starts and stops Berth once, so that the launcher's class-data sharing archive exists for
    this build, as it does on a server after its first start, before start-up time is measured."""
    start_berth("prime", workdir, free_port()).stop()


def start_distribution(name, workdir, port, middleware=""):
    return Registry(name, ["docker-registry", "serve", distribution_config(workdir, name, port, middleware)],
                    port, workdir)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--short", action="store_true", help="one quick round, to prove the suite works")
    parser.add_argument("--only", action="append", metavar="TEXT",
                        help="run only the scenarios whose name contains TEXT, e.g. 'redirect' or 'push' "
                             "(repeatable; any case)")
    args = parser.parse_args()
    if args.short:
        args.rounds, args.duration = 1, 2
    for tool in ("wrk", "hey", "skopeo", "umoci", "docker-registry"):
        if not shutil.which(tool):
            die(f"{tool} is not installed (apt-get install wrk hey skopeo umoci docker-registry)")
    selected = [scenario for scenario in SCENARIOS + (REDIRECT_SCENARIO,)
                if not args.only or any(text.lower() in scenario.lower() for text in args.only)]
    if not selected:
        die(f"no scenario matches {args.only}; the scenarios are: {', '.join(SCENARIOS + (REDIRECT_SCENARIO,))}")

    workdir = tempfile.mkdtemp(prefix="berth-bench-", dir=os.environ.get("BENCH_DIR", "/var/tmp"))
    results = {"berth": {}, "distribution": {}}
    try:
        prime_class_data_sharing(workdir)
        if any(scenario in SCENARIOS for scenario in selected):
            run_suite(args, workdir, selected, results)
        if REDIRECT_SCENARIO in selected:
            run_redirects(args, workdir, results)
    finally:
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)

    print_table(results, args)


def run_suite(args, workdir, selected, results):
    """The scenarios of SCENARIOS that are selected, on one Berth and one Distribution."""
    mb = 1024 * 1024
    content = {"config": b'{"architecture":"amd64","os":"linux"}', "small": os.urandom(4096),
               "large": os.urandom(64 * mb)}
    push_count_small = 20 if args.short else 100
    push_count_large = 2 if args.short else 6
    skopeo_pushes = 1 if args.short else 3
    build_images = 4 if args.short else 20

    registries = {
        "berth": start_berth("berth", workdir, free_port()),
        "distribution": start_distribution("distribution", workdir, free_port()),
    }
    mixed_blobs = os.path.join(workdir, "mixed-blobs.txt")
    with open(mixed_blobs, "w") as f:
        for _ in range(256):
            data = os.urandom(4096)
            f.write(f"{digest_of(data)} {data.hex()}\n")
    os.environ["BENCH_MIXED_BLOBS"] = mixed_blobs

    def measure(name, scenario, run):
        if scenario in selected:
            results[name].setdefault(scenario, []).append(run())

    def skopeo_round(name, url, tag, pushes):
        """`pushes` images, each with a fresh layer, pushed one after another: bytes over time."""
        layouts = [make_layout(workdir, 64 * mb, f"{name}-{tag}-{i}") for i in range(pushes)]
        settle_disk()
        seconds = sum(skopeo_push(url, layout, f"skopeo/{tag}-{i}") for i, (layout, _) in enumerate(layouts))
        return {"mbps": sum(size for _, size in layouts) / 1e6 / seconds}

    def build_push_round(name, url, tag, images):
        """A build system's push: `images` images of three fresh 1 MiB layers, `skopeo copy` four at a
        time: bytes over the time from the first copy's start to the last one's end."""
        layouts = [make_layout(workdir, mb, f"{name}-build-{tag}-{i}", layers=3) for i in range(images)]
        settle_disk()
        started = time.time()
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda item: skopeo_push(url, item[1][0], f"build/{tag}-{item[0]}"), enumerate(layouts)))
        seconds = time.time() - started
        for layout, _ in layouts:
            shutil.rmtree(layout)
        return {"mbps": sum(size for _, size in layouts) / 1e6 / seconds}

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
            if "skopeo push, 64 MiB layer" in selected:
                skopeo_round(name, r.url, "warm-up", 1)
            if BUILD_PUSH in selected:
                for warm_up in range(1 if args.short else 3):
                    build_push_round(name, r.url, f"warm-up{warm_up}", build_images)
        order = ["berth", "distribution"]
        for round_number in range(args.rounds):
            for name in (order if round_number % 2 == 0 else order[::-1]):
                r = registries[name]
                s = seeded[name]
                print(f"round {round_number + 1}: {name}", file=sys.stderr)
                d, c = args.duration, args.connections
                measure(name, "GET /v2/", lambda: wrk(f"{r.url}/v2/", d, c))
                measure(name, "manifest GET by tag", lambda: wrk(f"{r.url}/v2/bench/app/manifests/latest", d, c,
                                                                 [f"Accept: {OCI_MANIFEST}"]))
                measure(name, "manifest HEAD by digest (hey)",
                        lambda: hey(f"{r.url}/v2/bench/app/manifests/{s['manifest_digest']}", d, c, "HEAD",
                                    [f"Accept: {OCI_MANIFEST}"]))
                measure(name, "tag list (101 tags)", lambda: wrk(f"{r.url}/v2/bench/app/tags/list", d, c))
                measure(name, "4 KiB blob GET", lambda: wrk(f"{r.url}/v2/bench/app/blobs/{s['small']}", d, c))
                measure(name, "64 MiB blob GET", lambda: wrk(f"{r.url}/v2/bench/app/blobs/{s['large']}", d, 4))
                verify_samples(r.url, s)
                measure(name, "mixed 75% manifest GET / 25% blob push",
                        lambda: wrk(f"{r.url}/v2/bench/app/manifests/latest", d, c, [f"Accept: {OCI_MANIFEST}"],
                                    os.path.join(HERE, "mixed.lua")))
                tag = f"r{round_number}"
                measure(name, "push 1 MiB blobs (monolithic)",
                        lambda: timed_pushes(r.url, f"push/{tag}", [os.urandom(mb) for _ in range(push_count_small)]))
                measure(name, "push 64 MiB blobs (monolithic)",
                        lambda: timed_pushes(r.url, f"push/{tag}",
                                             [os.urandom(64 * mb) for _ in range(push_count_large)]))
                measure(name, "push 64 MiB blobs (8 MiB chunks)",
                        lambda: timed_pushes(r.url, f"push/{tag}",
                                             [os.urandom(64 * mb) for _ in range(push_count_large)], chunk=8 * mb))
                measure(name, "skopeo push, 64 MiB layer", lambda: skopeo_round(name, r.url, tag, skopeo_pushes))
                measure(name, BUILD_PUSH, lambda: build_push_round(name, r.url, tag, build_images))
        for name, r in registries.items():
            results[name]["peak RSS"] = [{"mib": r.peak_rss_mib()}]
            results[name]["ready after start"] = [{"seconds": r.ready_seconds}]
    finally:
        for r in registries.values():
            r.stop()


def redirect_of(url):
    """The status and Location of a GET, without following the redirect."""
    parts = urlsplit(url)
    connection = HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", parts.path)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def verify_redirect(name, url, expected):
    status, location = redirect_of(url)
    if (status, location) != expected:
        die(f"{name} answered {status} with Location {location} for {url}; expected {expected[0]} to {expected[1]}")


def run_redirects(args, workdir, results):
    """Blob GETs answered with a redirect to the CDN, on a Berth and a Distribution configured for it.

    Berth redirects only blobs of a published mirror generation, so one 4 KiB blob is pushed and
    exported with `berth mirror export`; the server sees the export at its next catalogue refresh.
    Berth answers 302 with the CDN's copy of the mirror tree; Distribution's redirect middleware
    answers 307 with the storage driver's path under its base URL. Either status passes only for
    the registry that sends it, and only with the right Location.
    """
    # Berth probes the CDN it sends clients to and skips it while unreachable, so the CDN is a
    # loopback file server over the exported tree.
    tree = os.path.join(workdir, "mirror-tree")
    os.makedirs(tree, exist_ok=True)
    cdn_port = free_port()
    CDN = f"http://127.0.0.1:{cdn_port}/"
    cdn_server = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", tree,
                                   str(cdn_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    berth_config = os.path.join(workdir, "berth-redirect.yml")
    with open(berth_config, "w") as f:
        f.write(f"mirrors:\n  cdn-url: {CDN}\n  refresh-seconds: 1\n")
    redirect_middleware = f"""middleware:
  storage:
    - name: redirect
      options:
        baseurl: {CDN}
"""
    registries = {
        "berth": start_berth("berth-redirect", workdir, free_port(), berth_config),
        "distribution": start_distribution("distribution-redirect", workdir, free_port(), redirect_middleware),
    }
    try:
        blob = os.urandom(4096)
        digest = {name: push_blob(r.url, "bench/app", blob) for name, r in registries.items()}
        hex_digest = digest["berth"].split(":")[1]
        expected = {
            "berth": (302, f"{CDN}blobs/sha256/{hex_digest[:2]}/{hex_digest}"),
            "distribution": (307, f"{CDN}docker/registry/v2/blobs/sha256/{hex_digest[:2]}/{hex_digest}/data"),
        }
        urls = {name: f"{r.url}/v2/bench/app/blobs/{digest[name]}" for name, r in registries.items()}
        if redirect_of(urls["berth"])[0] != 200:
            die("Berth redirected a blob before any mirror generation was exported")
        export = subprocess.run([os.path.join(ROOT, "berth"), "mirror", "export", tree,
                                 "--data", f"{workdir}/berth-redirect-data", "--quiet"],
                                capture_output=True, text=True, timeout=120)
        if export.returncode != 0:
            die(f"berth mirror export failed:\n{export.stderr}")
        deadline = time.time() + 30
        while redirect_of(urls["berth"])[0] != 302 and time.time() < deadline:
            time.sleep(0.2)
        for name in registries:
            verify_redirect(name, urls[name], expected[name])
            wrk(urls[name], 2, args.connections)
        order = ["berth", "distribution"]
        for round_number in range(args.rounds):
            for name in (order if round_number % 2 == 0 else order[::-1]):
                print(f"round {round_number + 1}: {name}, {REDIRECT_SCENARIO}", file=sys.stderr)
                results[name].setdefault(REDIRECT_SCENARIO, []).append(
                    wrk(urls[name], args.duration, args.connections))
                verify_redirect(name, urls[name], expected[name])
    finally:
        for r in registries.values():
            r.stop()
        cdn_server.terminate()
        cdn_server.wait(timeout=10)


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
