#!/usr/bin/env python3
"""Throughput of Berth and of CNCF Distribution through a load balancer with 1, 2 and 3 nodes.

Every Berth node is a `./berth serve` process with its own data directory; the nodes share S3Proxy
(a real S3 API server, storing on local disk) and one PostgreSQL schema, behind HAProxy (round
robin, no stickiness). Every Distribution node is a `docker-registry serve` process over the same
S3Proxy (its own root directory in the bucket) with one shared `http.secret`, so that an upload
begun on one node can be finished on another, behind the same HAProxy configuration.

The same workload runs against each cluster:
  - push: 4 concurrent clients, each pushing images of one fresh 1 MiB layer (POST and PUT of
    the layer, PUT of a manifest that names it and a shared config blob);
  - manifest GET by tag, and GET of a 1 MiB blob with the bytes passing through the nodes (wrk);
  - blob GET answered with a redirect to a presigned object-store URL (wrk; the nodes answer the
    redirect, the client would then fetch the bytes from the object store).
Statuses are checked (wrk fails on any 4xx/5xx, every push must answer 201), the proxied blob is
compared with what was pushed, and a redirect's URL is followed once and its bytes compared.

While each scenario runs, the CPU time of every component is read from /proc: the nodes, the
database (PostgreSQL's connection processes), the object store (S3Proxy), the balancer (HAProxy) and the
rest of the machine (the load generator). Dividing by the requests answered gives each component's
CPU cost per request, from which the throughput of more nodes than this machine can run is projected.

Usage: bench/scale-out [--duration SECONDS] [--warmup SECONDS_PER_NODE] [--nodes 1,2,3]
                       [--registries berth,distribution] [--json FILE]
(needs PostgreSQL on 127.0.0.1:5432, haproxy, wrk, docker-registry). When a run fails, the logs of
every node, of HAProxy and of S3Proxy are kept and their directory is printed; BENCH_KEEP=1 keeps
them always, BENCH_S3PROXY_DEBUG=1 makes S3Proxy log every request and every error it answers.
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import ROOT, die, free_port, http, wait_ready, wrk, digest_of, absolute, OCI_MANIFEST  # noqa: E402

MIB = 1024 * 1024
ACCESS_KEY, SECRET_KEY, BUCKET, REGION = "berth-test", "berth-test-secret", "berth", "us-east-1"
# Distribution has a bucket of its own: with Berth's objects beside its uploads, S3Proxy's listing of
# multipart uploads (which Distribution needs to resume each upload) misses them.
DISTRIBUTION_BUCKET = "distribution"
PUSH = "push: image of one 1 MiB layer, 4 clients (images/s)"
MANIFEST = "manifest GET by tag (req/s)"
BLOB = "blob GET 1 MiB, through the nodes (req/s)"
REDIRECT = "blob GET, redirect to presigned URL (req/s)"
FAILED = "failed pushes"
SCENARIOS = (PUSH, MANIFEST, BLOB, REDIRECT)
COMPONENTS = ("nodes", "database", "object store", "balancer", "load generator and rest")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def start(command, log, env=None):
    return subprocess.Popen(command, stdout=open(log, "w"), stderr=subprocess.STDOUT, env=env, start_new_session=True)


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
    except Exception:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except Exception:
            pass


def wait_port(port, timeout=30):
    import socket
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    die(f"nothing listens on {port}")


def wait_for_line(log, text, process, timeout=60):
    """Waits until the log holds text (S3Proxy prints its line once its bucket exists)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            die(f"{log}: exited early with status {process.returncode}")
        with open(log) as f:
            if text in f.read():
                return
        time.sleep(0.1)
    die(f"{log} never said {text!r}")


def process_cpu(pid):
    """User plus system CPU seconds of one process (all its threads), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0


def database_backends():
    """PostgreSQL's processes that serve a client connection. Its background processes (autovacuum,
    checkpointer, WAL writer) are left out: within one scenario they mostly work off earlier ones."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as f:
                    if f.read().strip() != "postgres":
                        continue
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if b"127.0.0.1(" in f.read():
                        found.append(int(entry))
            except OSError:
                pass
    return found


def machine_busy_seconds():
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = values[:8]
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


class CpuMeter:
    """CPU seconds per component between start() and stop()."""

    def __init__(self, node_pids, store_pid, balancer_pid):
        self.groups = {"nodes": lambda: node_pids, "database": database_backends,
                       "object store": lambda: [store_pid], "balancer": lambda: [balancer_pid]}

    def sample(self):
        taken = {name: sum(process_cpu(pid) for pid in pids()) for name, pids in self.groups.items()}
        taken["total"] = machine_busy_seconds()
        return taken

    def measure(self, work):
        before, started = self.sample(), time.time()
        result = work()
        after, elapsed = self.sample(), time.time() - started
        spent = {name: after[name] - before[name] for name in before}
        spent["load generator and rest"] = max(0.0, spent.pop("total") - sum(spent.values()))
        return result, spent, elapsed


def berth_node(workdir, name, port, s3_port, schema, redirects):
    config = os.path.join(workdir, f"{name}.yml")
    with open(config, "w") as f:
        f.write(f"""listen: 127.0.0.1:{port}
data-dir: {workdir}/{name}-data
database:
  url: jdbc:postgresql://127.0.0.1:5432/test
  user: postgres
  schema: {schema}
  pool-size: 8
storage:
  type: s3
  endpoint: http://127.0.0.1:{s3_port}
  region: {REGION}
  bucket: {BUCKET}
  access-key: {ACCESS_KEY}
  secret-key: {SECRET_KEY}
  path-style: true
  presigned-redirects: {"true" if redirects else "false"}
""")
    return start([os.path.join(ROOT, "berth"), "serve", "--config", config], f"{config}.log")


def distribution_node(workdir, name, port, s3_port, root, redirects):
    """Distribution 2.8 over S3: the driver redirects blob GETs unless redirect.disable is set;
    nodes share http.secret, which signs the upload state handed to clients."""
    config = os.path.join(workdir, f"{name}.yml")
    with open(config, "w") as f:
        f.write(f"""version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  s3:
    accesskey: {ACCESS_KEY}
    secretkey: {SECRET_KEY}
    region: {REGION}
    regionendpoint: http://127.0.0.1:{s3_port}
    bucket: {DISTRIBUTION_BUCKET}
    secure: false
    v4auth: true
    rootdirectory: /{root}
  cache:
    blobdescriptor: inmemory
  delete:
    enabled: true
  redirect:
    disable: {"false" if redirects else "true"}
http:
  addr: 127.0.0.1:{port}
  secret: bench-scale-out-shared-secret
""")
    # The AWS SDK of Distribution refuses AWS_CA_BUNDLE with its own transport; it is not needed here.
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return start(["docker-registry", "serve", config], f"{config}.log", env)


class Cluster:
    """Nodes of one registry behind HAProxy; stopped on exit."""

    def __init__(self, registry, size, workdir, s3_port, s3_pid, run_id, redirects):
        self.ports = [free_port() for _ in range(size)]
        self.nodes = []
        tag = f"{registry}-{size}-{'redirect' if redirects else 'proxied'}"
        for i, port in enumerate(self.ports):
            name = f"{tag}-{i}"
            if registry == "berth":
                node = berth_node(workdir, name, port, s3_port, f"berth_scale_{run_id}", redirects)
            else:
                node = distribution_node(workdir, name, port, s3_port, f"distribution-{run_id}", redirects)
            self.nodes.append(node)
        for port, node in zip(self.ports, self.nodes):
            wait_ready(f"http://127.0.0.1:{port}", node, f"{registry} node on {port}")
        balancer_port = free_port()
        haproxy_config = os.path.join(workdir, f"haproxy-{tag}.cfg")
        with open(haproxy_config, "w") as f:
            f.write(f"""defaults
    mode http
    timeout connect 2s
    timeout client 120s
    timeout server 120s
frontend registry
    bind 127.0.0.1:{balancer_port}
    default_backend nodes
backend nodes
    balance roundrobin
""" + "".join(f"    server n{i} 127.0.0.1:{port}\n" for i, port in enumerate(self.ports)))
        self.haproxy = start(["haproxy", "-db", "-f", haproxy_config], f"{haproxy_config}.log")
        wait_port(balancer_port)
        self.base = f"http://127.0.0.1:{balancer_port}"
        self.meter = CpuMeter([node.pid for node in self.nodes], s3_pid, self.haproxy.pid)

    def __enter__(self):
        return self

    def __exit__(self, *_):
        stop(self.haproxy)
        for node in self.nodes:
            stop(node)


class PushFailed(Exception):
    """A push request answered 5xx (tolerated, and counted, for Distribution only; see pushes())."""


def send(method, url, body, headers, expect):
    """Like bench.http, but a 5xx raises PushFailed instead of ending the run."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            status, data, response_headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, data, response_headers = error.code, error.read(), error.headers
    if status >= 500:
        raise PushFailed(f"{method} {url} answered {status}: {data[:300]!r}")
    if status not in expect:
        die(f"{method} {url} answered {status}: {data[:300]!r}")
    return response_headers


def push_blob(base, repository, data):
    headers = send("POST", f"{base}/v2/{repository}/blobs/uploads/", b"", {}, (202,))
    url = absolute(base, headers["Location"])
    send("PUT", f"{url}{'&' if '?' in url else '?'}digest={digest_of(data)}", data,
         {"Content-Type": "application/octet-stream"}, (201,))
    return digest_of(data)


CONFIG_BLOB = b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'


def manifest_of(layer):
    return json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                  "digest": digest_of(CONFIG_BLOB), "size": len(CONFIG_BLOB)},
                       "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                                   "digest": digest_of(layer), "size": len(layer)}]}).encode()


def push_image(base, repository, tag, layer):
    push_blob(base, repository, layer)
    send("PUT", f"{base}/v2/{repository}/manifests/{tag}", manifest_of(layer), {"Content-Type": OCI_MANIFEST},
         (201,))


def with_retries(registry, push):
    """Setup pushes: Distribution's S3 driver now and then cannot find, on S3Proxy, the multipart
    upload it began a request earlier (`error resolving upload: s3aws: Path not found`, 500), so its
    setup pushes are tried up to three times. Berth gets no second try."""
    for attempt in range(3 if registry == "distribution" else 1):
        try:
            return push()
        except PushFailed as failure:
            last = failure
    die(str(last))


def pushes(registry, base, repository, seconds):
    """4 clients pushing images of a fresh 1 MiB layer for the given time; returns (pushed, failed).
    A 5xx ends the run for Berth; for Distribution it is counted (see with_retries) and reported."""
    deadline = time.time() + seconds
    template = os.urandom(MIB)

    def client(index):
        pushed = failed = 0
        while time.time() < deadline:
            layer = bytearray(template)
            layer[:16] = os.urandom(16)
            try:
                push_image(base, repository, f"c{index}-{pushed + failed}", bytes(layer))
                pushed += 1
            except PushFailed as failure:
                if registry != "distribution":
                    die(str(failure))
                failed += 1
        return pushed, failed

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        counts = list(pool.map(client, range(4)))
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def follow_redirect(url, expected_digest):
    """GET without following; then fetch the Location and compare the bytes with the digest."""
    class NoFollow(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    opener = urllib.request.build_opener(NoFollow)
    try:
        opener.open(url, timeout=30)
        die(f"{url} answered 200 where a redirect to the object store was expected")
    except urllib.error.HTTPError as redirect:
        if redirect.code not in (302, 307):
            die(f"{url} answered {redirect.code} where a redirect was expected")
        location = redirect.headers["Location"]
    with urllib.request.urlopen(location, timeout=30) as response:
        if digest_of(response.read()) != expected_digest:
            die(f"the presigned URL {location} served other bytes than {expected_digest}")


def run_cluster(registry, size, redirects, args, workdir, s3_port, s3_pid, run_id):
    """Runs the scenarios of one mode on one cluster; returns {scenario: (rate, cpu, requests)}."""
    results = {}
    # Each node is a process of its own that must warm up (a JVM compiles its hot paths) on its share of
    # the load: the warm-up lasts --warmup seconds per node.
    warmup = args.warmup * size
    with Cluster(registry, size, workdir, s3_port, s3_pid, run_id, redirects) as cluster:
        base = cluster.base
        repository = f"scale/{registry}{size}{'r' if redirects else 'p'}"
        layer = os.urandom(MIB)
        with_retries(registry, lambda: push_blob(base, repository, CONFIG_BLOB))
        with_retries(registry, lambda: push_image(base, repository, "latest", layer))
        blob_url = f"{base}/v2/{repository}/blobs/{digest_of(layer)}"
        manifest_header = [f"Accept: {OCI_MANIFEST}"]
        if redirects:
            follow_redirect(blob_url, digest_of(layer))
            wrk(blob_url, warmup, 16)
            rate, cpu, _ = cluster.meter.measure(lambda: wrk(blob_url, args.duration, 16)["rps"])
            results[REDIRECT] = (rate, cpu, rate * args.duration)
            follow_redirect(blob_url, digest_of(layer))
            return results
        _, body, _ = http("GET", blob_url)
        if digest_of(body) != digest_of(layer):
            die(f"{registry} with {size} node(s) served a corrupt blob through the balancer")
        pushes(registry, base, repository, warmup)
        (images, failed), cpu, elapsed = cluster.meter.measure(lambda: pushes(registry, base, repository, args.duration))
        results[PUSH] = (images / elapsed, cpu, images)
        results[FAILED] = failed
        for scenario, url, connections, headers in ((MANIFEST, f"{base}/v2/{repository}/manifests/latest", 32,
                                                     manifest_header),
                                                    (BLOB, blob_url, 16, None)):
            wrk(url, warmup, connections, headers)
            rate, cpu, _ = cluster.meter.measure(lambda: wrk(url, args.duration, connections, headers)["rps"])
            results[scenario] = (rate, cpu, rate * args.duration)
        _, body, _ = http("GET", blob_url)
        if digest_of(body) != digest_of(layer):
            die(f"{registry} with {size} node(s) served a corrupt blob after the load")
    return results


def print_tables(results, args):
    registries, sizes = list(results), sorted({s for r in results.values() for s in r})
    print(f"\nThrough HAProxy, {args.duration} s per scenario after {args.warmup} s of warm-up per node, "
          f"S3Proxy on local disk, PostgreSQL; all on this machine's {os.cpu_count()} cores.\n")
    header = "| scenario | nodes | " + " | ".join(registries)
    if len(registries) == 2:
        header += " | Berth ÷ Distribution"
    print(header + " |")
    print("|---|---:|" + "---:|" * (len(registries) + (1 if len(registries) == 2 else 0)))
    for scenario in SCENARIOS:
        for size in sizes:
            cells = []
            for registry in registries:
                rate = results[registry][size][scenario][0]
                one = results[registry][sizes[0]][scenario][0]
                cells.append(f"{rate:,.1f}" + (f" ({rate / one:.2f}×)" if size != sizes[0] else ""))
            row = f"| {scenario} | {size} | " + " | ".join(cells)
            if len(registries) == 2:
                row += f" | {results['berth'][size][scenario][0] / results['distribution'][size][scenario][0]:.2f}×"
            print(row + " |")
    print("\n(×: against the same registry's throughput with one node.) Pushes that answered 5xx: " + "; ".join(
        f"{registry} {size} node(s): {results[registry][size][FAILED]}" for registry in registries for size in sizes))
    for registry in registries:
        print(f"\n{registry}: CPU milliseconds per request (per image for pushes), by component, and the "
              f"machine's use of its {os.cpu_count()} cores:\n")
        print("| scenario | nodes | " + " | ".join(COMPONENTS) + " | cores busy |")
        print("|---|---:|" + "---:|" * (len(COMPONENTS) + 1))
        for scenario in SCENARIOS:
            for size in sizes:
                _, cpu, requests = results[registry][size][scenario]
                costs = " | ".join(f"{1000 * cpu[c] / max(requests, 1):.3f}" for c in COMPONENTS)
                busy = sum(cpu.values()) / args.duration
                print(f"| {scenario} | {size} | {costs} | {busy:.2f} |")
    for registry in registries:
        one = sizes[0]
        print(f"\n{registry}: projection from the {one}-node costs, for nodes of 2 cores each with the "
              f"database and the object store scaled apart:\n")
        print("| scenario | per node (2 cores) | 10 nodes | database cores for 10 nodes | "
              "object-store cores for 10 nodes | balancer cores for 10 nodes |")
        print("|---|---:|---:|---:|---:|---:|")
        for scenario in SCENARIOS:
            _, cpu, requests = results[registry][one][scenario]
            per_request = {c: cpu[c] / max(requests, 1) for c in COMPONENTS}
            per_node = 2 / per_request["nodes"] if per_request["nodes"] > 0 else float("inf")
            ten = 10 * per_node
            print(f"| {scenario} | {per_node:,.0f} | {ten:,.0f} | {ten * per_request['database']:.2f} | "
                  f"{ten * per_request['object store']:.2f} | {ten * per_request['balancer']:.2f} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10, help="seconds measured per scenario")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of the same load per node before each measurement")
    parser.add_argument("--nodes", default="1,2,3", help="cluster sizes, comma-separated")
    parser.add_argument("--registries", default="berth,distribution")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.nodes.split(",")]
    registries = args.registries.split(",")
    for tool in ("haproxy", "wrk", "psql") + (("docker-registry",) if "distribution" in registries else ()):
        if not shutil.which(tool):
            die(f"{tool} is not installed")
    workdir = tempfile.mkdtemp(prefix="berth-scale-", dir="/var/tmp")
    # S3Proxy's filesystem store serves every directory under its root as a bucket.
    os.makedirs(os.path.join(workdir, "s3", DISTRIBUTION_BUCKET))
    classpath = open(os.path.join(ROOT, "target", "test-classpath.txt")).read().strip()
    s3_port = free_port()
    # BENCH_S3PROXY_DEBUG=1 logs every request S3Proxy receives and every error it answers.
    s3_logging = ["-Dorg.slf4j.simpleLogger.log.org.gaul.s3proxy=debug"] if os.environ.get("BENCH_S3PROXY_DEBUG") else []
    s3 = start([os.path.join(os.environ["JAVA_HOME"], "bin", "java")] + s3_logging + ["-cp",
                os.path.join(ROOT, "target", "test-classes") + ":" + os.path.join(ROOT, "target", "classes") + ":" + classpath,
                "io.berth.testing.S3ProxyServer", str(s3_port), os.path.join(workdir, "s3")],
               os.path.join(workdir, "s3proxy.log"))
    wait_for_line(os.path.join(workdir, "s3proxy.log"), "S3Proxy listening", s3)
    results = {registry: {} for registry in registries}
    run_id = os.getpid()
    completed = False
    try:
        for size in sizes:
            for registry in registries:
                run = f"{run_id}_{size}"
                print(f"{registry}, {size} node(s)", file=sys.stderr)
                try:
                    measured = run_cluster(registry, size, False, args, workdir, s3_port, s3.pid, run)
                    measured.update(run_cluster(registry, size, True, args, workdir, s3_port, s3.pid, run))
                    results[registry][size] = measured
                finally:
                    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc",
                                    f"DROP SCHEMA IF EXISTS berth_scale_{run} CASCADE"], capture_output=True)
        completed = True
    finally:
        stop(s3)
        if completed and not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"the logs of every node are kept in {workdir}", file=sys.stderr)
    print_tables(results, args)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({r: {str(s): {k: v if k == FAILED else {"rate": v[0], "cpu": v[1], "requests": v[2]}
                                    for k, v in m.items()}
                           for s, m in sizes_.items()} for r, sizes_ in results.items()}, f, indent=2)


if __name__ == "__main__":
    main()
