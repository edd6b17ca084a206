#!/usr/bin/env python3
"""Growth benchmark: does a request cost the same on a registry holding 100,000 repositories as on
an empty one? (docs/benchmarks.md, "Growth")

Two registries of the same build over the same disk: *empty* holds only what the scenarios touch,
pushed through the HTTP API (a few images, and `seed/many-tags` with --big-tags tags, seeded in
bulk) and SMALL repositories seeded in bulk, so that a page of the catalogue from its middle is as
full as the grown one's; *grown* holds the same plus --repositories repositories of 10 blobs, manifests and tags each,
seeded in bulk by bench/seed (io.berth.bench.RegistrySeeder) straight into the metadata database
and the blob store. Each scenario runs on both, alternating, and reports grown / empty.

Usage: bench/growth [--repositories N] [--big-tags T] [--rounds R] [--duration S] [--postgresql URL] [--short]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import (OCI_MANIFEST, ROOT, Registry, die, digest_of, free_port, hey, http, push_blob,  # noqa: E402
                   wrk)

BERTH = os.path.join(ROOT, "berth")
SEED = os.path.join(ROOT, "bench", "seed")
API_IMAGES = 5
SMALL = 200


def run(command, timeout=7200, env=None):
    started = time.time()
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    if result.returncode != 0:
        die(f"{' '.join(command)} failed with status {result.returncode}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return time.time() - started, result.stdout


def write_config(workdir, name, database):
    """A configuration for one registry: SQLite in its data directory, or its own PostgreSQL database."""
    data = os.path.join(workdir, f"{name}-data")
    lines = [f"data-dir: {data}", "gc:", "  interval-seconds: 86400"]
    if database:
        lines += ["database:", f"  url: {database}", "  user: postgres"]
    path = os.path.join(workdir, f"{name}.yml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path, data


def postgres_database(base_url, name, reuse):
    """A database on the server of base_url (jdbc:postgresql://host:port/db), named name: fresh, or
    the one already there when reuse is set (a --workdir run seeds only what is missing)."""
    server = base_url.rsplit("/", 1)[0]
    host_port = server.split("//", 1)[1]
    host, port = host_port.split(":")
    psql = ["psql", "-h", host, "-p", port, "-U", "postgres", "-d", "postgres", "-Atqc"]
    _, exists = run(psql + [f"SELECT 1 FROM pg_database WHERE datname = '{name}'"])
    if exists.strip() and reuse:
        return f"{server}/{name}"
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        run(psql + [sql])
    return f"{server}/{name}"


def image(base, repository, tag, layer):
    """Pushes a one-layer image through the API; returns the manifest's digest and the layer's."""
    config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []},
                         "config": {"Labels": {"bench": f"{repository}:{tag}"}}}).encode()
    config_digest = push_blob(base, repository, config)
    layer_digest = push_blob(base, repository, layer)
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest,
                   "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer_digest,
                    "size": len(layer)}],
    }).encode()
    http("PUT", f"{base}/v2/{repository}/manifests/{tag}", manifest, {"Content-Type": OCI_MANIFEST}, expect=(201,))
    return digest_of(manifest), layer_digest


def start(name, workdir, config):
    port = free_port()
    return Registry(name, [BERTH, "serve", "--listen", f"127.0.0.1:{port}", "--config", config], port, workdir)


def verify(base, manifest_digest, big_tags):
    """The measured requests answer with the right content, so that errors never count as speed."""
    _, body, headers = http("GET", f"{base}/v2/bench/app0/manifests/latest", headers={"Accept": OCI_MANIFEST})
    if digest_of(body) != manifest_digest or headers["Docker-Content-Digest"] != manifest_digest:
        die(f"{base} served a wrong manifest")
    _, body, _ = http("GET", f"{base}/v2/seed/many-tags/tags/list?n=100&last=tag-{big_tags // 2:05d}")
    tags = json.loads(body)["tags"]
    if tags[0] != f"tag-{big_tags // 2 + 1:05d}" or len(tags) != min(100, big_tags - big_tags // 2 - 1):
        die(f"{base} listed the wrong page of tags: {tags[:3]}…")


def sequential_ms(url, requests=50):
    """The median time of one GET at a time, the client's own overhead included: a page's server time and a bit."""
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        http("GET", url)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def catalog_walk(base):
    """Pages through the whole catalogue, 1,000 names at a time, as a mirror tool would: seconds, pages, names."""
    started, pages, names, url = time.time(), 0, 0, f"{base}/v2/_catalog?n=1000"
    while url:
        _, body, headers = http("GET", url)
        pages += 1
        names += len(json.loads(body)["repositories"])
        link = headers.get("Link")
        url = base + link[link.index("<") + 1:link.index(">")] if link else None
    return time.time() - started, pages, names


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repositories", type=int, default=100_000)
    parser.add_argument("--big-tags", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--postgresql", metavar="JDBC_URL",
                        help="use fresh databases on this PostgreSQL server instead of SQLite")
    parser.add_argument("--workdir", help="keep the registries here (reused when already seeded)")
    parser.add_argument("--short", action="store_true", help="a small, quick round that proves the scenarios run")
    args = parser.parse_args()
    if args.short:
        args.repositories, args.big_tags, args.rounds, args.duration = 300, 300, 1, 1
    workdir = args.workdir or tempfile.mkdtemp(prefix="berth-growth-")
    os.makedirs(workdir, exist_ok=True)
    env = dict(os.environ, BERTH_BENCH_BUILT="1")
    configs = {}
    for name in ("empty", "grown"):
        database = (postgres_database(args.postgresql, f"berth_growth_{name}", reuse=bool(args.workdir))
                    if args.postgresql else None)
        configs[name], _ = write_config(workdir, name, database)
    seeding = {}
    sizes = {"empty": min(SMALL, args.repositories), "grown": args.repositories}
    for name, repositories in sizes.items():
        print(f"seeding {name}: {repositories} repositories, {args.big_tags} tags in seed/many-tags", file=sys.stderr)
        seeding[name], out = run([SEED, "--config", configs[name], "--repositories", str(repositories),
                                  "--big-tags", str(args.big_tags)], env=env)
        print(out.strip().splitlines()[-1], file=sys.stderr)
    results = {"empty": {}, "grown": {}}

    def record(name, scenario, value):
        results[name].setdefault(scenario, []).append(value)

    registries = {}
    try:
        for name in ("empty", "grown"):
            registries[name] = start(name, workdir, configs[name])
            record(name, "time to start (s)", registries[name].ready_seconds)
        targets = {}
        for name, registry in registries.items():
            pushed = [image(registry.url, f"bench/app{i}", "latest", os.urandom(4096)) for i in range(API_IMAGES)]
            verify(registry.url, pushed[0][0], args.big_tags)
            _, body, _ = http("GET", f"{registry.url}/v2/_catalog?n=100&last=seed/{sizes[name] // 2:06d}/app")
            if len(json.loads(body)["repositories"]) != 100:
                die(f"{name}: the catalogue page from the middle is not full")
            targets[name] = {"manifest": f"{registry.url}/v2/bench/app0/manifests/latest",
                             "blob": f"{registry.url}/v2/bench/app0/blobs/{pushed[0][1]}",
                             "tags": f"{registry.url}/v2/seed/many-tags/tags/list?n=100&last=tag-{args.big_tags // 2:05d}",
                             "catalog": f"{registry.url}/v2/_catalog?n=100&last=seed/{sizes[name] // 2:06d}/app",
                             "web home": f"{registry.url}/",
                             "web middle": f"{registry.url}/?last=seed/{sizes[name] // 2:06d}/app",
                             "web search": f"{registry.url}/?q=bench/app",
                             "web tags": f"{registry.url}/ui/repositories/seed/many-tags?last=tag-{args.big_tags // 2:05d}"}
            for page in ("web home", "web middle", "web search", "web tags"):
                status, body, _ = http("GET", targets[name][page])
                if status != 200 or b"</html>" not in body:
                    die(f"{name}: the web interface's page {targets[name][page]} answered {status}")
        accept = [f"Accept: {OCI_MANIFEST}"]
        for round_number in range(args.rounds):
            for name in (("empty", "grown") if round_number % 2 == 0 else ("grown", "empty")):
                print(f"round {round_number + 1}: {name}", file=sys.stderr)
                target, registry = targets[name], registries[name]
                record(name, "manifest GET by tag (p50 ms)",
                       wrk(target["manifest"], args.duration, args.connections, accept)["p50_ms"])
                record(name, "blob HEAD (p50 ms)",
                       hey(target["blob"], args.duration, args.connections, "HEAD", [])["p50_ms"])
                record(name, f"tag list, page of 100 of {args.big_tags} (p50 ms)",
                       wrk(target["tags"], args.duration, args.connections)["p50_ms"])
                record(name, "catalog, page of 100 (p50 ms)",
                       wrk(target["catalog"], args.duration, args.connections)["p50_ms"])
                record(name, "web: repositories, first page (p50 ms)",
                       wrk(target["web home"], args.duration, args.connections)["p50_ms"])
                record(name, "web: repositories, a page from the middle (p50 ms)",
                       wrk(target["web middle"], args.duration, args.connections)["p50_ms"])
                record(name, "web: repositories searched by name (p50 ms)",
                       wrk(target["web search"], args.duration, args.connections)["p50_ms"])
                record(name, f"web: a page of 25 of {args.big_tags} tags (p50 ms)",
                       wrk(target["web tags"], args.duration, args.connections)["p50_ms"])
                for page, label in (("web home", "repositories, first page"), ("web search", "repositories searched"),
                                    ("web tags", "a page of 25 tags")):
                    record(name, f"web: {label}, one request at a time (median ms)", sequential_ms(target[page]))
                pushes = []
                for i in range(10):
                    started = time.time()
                    image(registry.url, f"bench/new{round_number}-{i}", "latest", os.urandom(4096))
                    pushes.append((time.time() - started) * 1000)
                record(name, "push of a new image (median ms)", statistics.median(pushes))
        for name, registry in registries.items():
            seconds, pages, names = catalog_walk(registry.url)
            record(name, "catalog walked to its end (s)", seconds)
            record(name, "catalog names", names)
        for name, registry in registries.items():
            tree = os.path.join(workdir, f"{name}-tree")
            shutil.rmtree(tree, ignore_errors=True)
            seconds, _ = run([BERTH, "mirror", "export", tree, "--config", configs[name], "--quiet"])
            record(name, "first mirror export, everything (s)", seconds)
            for i in range(5):
                image(registry.url, f"bench/export{i}", "latest", os.urandom(4096))
            seconds, _ = run([BERTH, "mirror", "export", tree, "--config", configs[name], "--quiet"])
            record(name, "mirror export of 10 new blobs (s)", seconds)
            seconds, _ = run([BERTH, "gc", "--config", configs[name]])
            record(name, "gc pass with a sweep of every table (s)", seconds)
            for i in range(5):
                manifest, _ = image(registry.url, f"bench/gc{i}", "latest", os.urandom(4096))
                http("DELETE", f"{registry.url}/v2/bench/gc{i}/manifests/{manifest}", expect=(202,))
            seconds, _ = run([BERTH, "gc", "--config", configs[name]])
            record(name, "gc pass after 5 images pushed and deleted (s)", seconds)
    finally:
        for registry in registries.values():
            registry.stop()
    print_table(results, args, seeding)


def print_table(results, args, seeding):
    backend = "PostgreSQL" if args.postgresql else "SQLite"
    print(f"\n{backend}, filesystem blobs; grown: {args.repositories:,} repositories (seeded in "
          f"{seeding['grown']:.0f} s); both: seed/many-tags with {args.big_tags:,} tags, {API_IMAGES} images pushed "
          f"through the API. {args.rounds} rounds of {args.duration} s, {args.connections} connections; medians.\n")
    print("| scenario | empty | grown | grown ÷ empty |")
    print("|---|---:|---:|---:|")
    for scenario, values in results["empty"].items():
        empty = statistics.median(values)
        grown = statistics.median(results["grown"][scenario])
        ratio = grown / empty if empty else float("nan")
        print(f"| {scenario} | {empty:,.2f} | {grown:,.2f} | {ratio:.2f}× |")


if __name__ == "__main__":
    main()
