#!/usr/bin/env python3
"""Throughput of Berth through a load balancer with 1 and with 3 nodes.

Every node is a `./berth serve` process with its own data directory; they share S3Proxy (a real
S3 API server, storing on local disk) and one PostgreSQL schema, behind HAProxy (round robin).
The same workload runs against the 1-node and the 3-node cluster:
  - push: 4 concurrent clients each pushing 8 MiB blobs (POST, then PUT) through the balancer;
  - pull: wrk GETs of a 1 MiB blob and of a manifest by tag through the balancer.
Status codes are checked (wrk non-2xx fails the run; every push must answer 201).

Usage: bench/scale-out [--duration SECONDS]   (needs PostgreSQL on 127.0.0.1:5432, haproxy, wrk)
"""
import argparse
import concurrent.futures
import hashlib
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


def start(command, log, env=None):
    return subprocess.Popen(command, stdout=open(log, "w"), stderr=subprocess.STDOUT, env=env, start_new_session=True)


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
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


def push(base, repository, data):
    _, _, headers = http("POST", f"{base}/v2/{repository}/blobs/uploads/", b"", expect=(202,))
    url = absolute(base, headers["Location"])
    http("PUT", f"{url}{'&' if '?' in url else '?'}digest={digest_of(data)}", data,
         {"Content-Type": "application/octet-stream"}, expect=(201,))


def cluster(size, workdir, s3_port, schema, duration):
    ports = [free_port() for _ in range(size)]
    nodes = []
    for i, port in enumerate(ports):
        config = os.path.join(workdir, f"node{size}-{i}.yml")
        with open(config, "w") as f:
            f.write(f"""listen: 127.0.0.1:{port}
data-dir: {workdir}/data-{size}-{i}
database:
  url: jdbc:postgresql://127.0.0.1:5432/test
  user: postgres
  schema: {schema}
  pool-size: 8
storage:
  type: s3
  endpoint: http://127.0.0.1:{s3_port}
  bucket: berth
  access-key: berth-test
  secret-key: berth-test-secret
""")
        nodes.append(start([os.path.join(ROOT, "berth"), "serve", "--config", config], f"{config}.log"))
    for port, node in zip(ports, nodes):
        wait_ready(f"http://127.0.0.1:{port}", node, f"node {port}")
    balancer_port = free_port()
    haproxy_config = os.path.join(workdir, f"haproxy-{size}.cfg")
    with open(haproxy_config, "w") as f:
        f.write(f"""defaults
    mode http
    timeout connect 2s
    timeout client 120s
    timeout server 120s
frontend registry
    bind 127.0.0.1:{balancer_port}
    default_backend berth
backend berth
    balance roundrobin
""" + "".join(f"    server n{i} 127.0.0.1:{port}\n" for i, port in enumerate(ports)))
    haproxy = start(["haproxy", "-db", "-f", haproxy_config], f"{haproxy_config}.log")
    wait_port(balancer_port)
    base = f"http://127.0.0.1:{balancer_port}"
    try:
        repository = f"scale/{size}"
        blobs = [os.urandom(8 * MIB) for _ in range(4)]
        small = os.urandom(MIB)
        push(base, repository, small)
        config_blob = b'{"architecture":"amd64","os":"linux"}'
        push(base, repository, config_blob)
        manifest = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                               "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                          "digest": digest_of(config_blob), "size": len(config_blob)},
                               "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                                           "digest": digest_of(small), "size": len(small)}]}).encode()
        http("PUT", f"{base}/v2/{repository}/manifests/latest", manifest, {"Content-Type": OCI_MANIFEST}, expect=(201,))
        results = {}
        # Push: 4 clients, each pushing fresh 8 MiB blobs for the duration.
        deadline = time.time() + duration
        pushed = [0]

        def client(index):
            count = 0
            while time.time() < deadline:
                data = bytearray(blobs[index])
                data[:16] = os.urandom(16)
                push(base, repository, bytes(data))
                count += len(data)
            return count

        started = time.time()
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            total = sum(pool.map(client, range(4)))
        results["push 8 MiB blobs, 4 clients (MB/s)"] = total / 1e6 / (time.time() - started)
        results["pull 1 MiB blob (MB/s)"] = wrk(f"{base}/v2/{repository}/blobs/{digest_of(small)}", duration, 16)["mbps"]
        results["manifest GET by tag (req/s)"] = wrk(f"{base}/v2/{repository}/manifests/latest", duration, 32,
                                                     [f"Accept: {OCI_MANIFEST}"])["rps"]
        _, body, _ = http("GET", f"{base}/v2/{repository}/blobs/{digest_of(small)}")
        if digest_of(body) != digest_of(small):
            die("the balancer served a corrupt blob")
        return results
    finally:
        stop(haproxy)
        for node in nodes:
            stop(node)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    for tool in ("haproxy", "wrk", "psql"):
        if not shutil.which(tool):
            die(f"{tool} is not installed")
    workdir = tempfile.mkdtemp(prefix="berth-scale-", dir="/var/tmp")
    classpath = open(os.path.join(ROOT, "target", "test-classpath.txt")).read().strip()
    s3_port = free_port()
    s3 = start([os.path.join(os.environ["JAVA_HOME"], "bin", "java"), "-cp",
                os.path.join(ROOT, "target", "test-classes") + ":" + os.path.join(ROOT, "target", "classes") + ":" + classpath,
                "io.berth.testing.S3ProxyServer", str(s3_port), os.path.join(workdir, "s3")],
               os.path.join(workdir, "s3proxy.log"))
    wait_port(s3_port)
    results = {}
    try:
        for size in (1, 3):
            schema = f"berth_scale_{size}_{os.getpid()}"
            try:
                results[size] = cluster(size, workdir, s3_port, schema, args.duration)
            finally:
                subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qc",
                                f"DROP SCHEMA IF EXISTS {schema} CASCADE"], capture_output=True)
    finally:
        stop(s3)
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nThrough HAProxy, {args.duration} s per scenario, S3Proxy on local disk, PostgreSQL.\n")
    print("| scenario | 1 node | 3 nodes | ratio |")
    print("|---|---:|---:|---:|")
    for scenario in results[1]:
        one, three = results[1][scenario], results[3][scenario]
        print(f"| {scenario} | {one:,.1f} | {three:,.1f} | {three / one:.2f}× |")


if __name__ == "__main__":
    main()
