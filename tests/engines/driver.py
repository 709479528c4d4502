#!/usr/bin/env python3
"""Conformance of `zhibiao sql` with `zhibiao check`.

For every case (rule files and the data they are checked on) the driver
writes the data as the `obs` and `entities` tables (`zhibiao sql
--emit-data`), loads them into each engine, runs the generated query, and
compares its rows outcome for outcome with `zhibiao check --format json`:
status, years, actual and target values (canonical). It prints one line
per engine and exits 1 on any mismatch.

Usage: driver.py --bin target/debug/zhibiao --engines duckdb,postgres,spark
                 --case RULES... --data DATA... [--case ...]
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter

OBS_COLUMNS = [
    ("entity", "text"), ("parent", "text"), ("year", "int"), ("indicator", "text"),
    ("value", "double"), ("text_value", "text"), ("tier", "text"),
]
ENTITY_COLUMNS = [("entity", "text"), ("attribute", "text"), ("value", "text")]


def run(args, **kwargs):
    return subprocess.run(args, check=False, capture_output=True, text=True, **kwargs)


def native(binary, rules, data):
    out = run([binary, "check", *rules, "--data", *data, "--format", "json"])
    # 0, 1 and 3 are verdicts on the targets; 2 is bad input.
    if out.returncode == 2 or not out.stdout.strip():
        sys.exit(f"zhibiao check failed on {rules}: {out.stderr}")
    report = json.loads(out.stdout)
    return [
        (o["rule"]["name"], o["entity"], o["status"], ",".join(str(y) for y in o["years"]),
         o.get("actual_value"), o.get("target_value"))
        for o in report["outcomes"]
    ]


def query(binary, rules, dialect, scratch):
    """The query, and the names of the rules it leaves out for want of an SQL form."""
    out = run([binary, "sql", *rules, "--dialect", dialect, "--tier-column", "tier",
               "--skip-unsupported", "--scratch", scratch])
    if out.returncode != 0:
        sys.exit(f"zhibiao sql failed on {rules}: {out.stderr}")
    left_out = set()
    for line in out.stderr.splitlines():
        if line.startswith("left out: rule `"):
            left_out.add(line[len("left out: rule `"):].split("` has no SQL form", 1)[0])
    return out.stdout, left_out


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def compare(expected, got):
    """Differences between two outcome lists, matched by rule and entity."""
    problems = []
    def key(row):
        return (row[0], row[1])
    left = Counter(key(row) for row in expected)
    right = Counter(key(row) for row in got)
    if left != right:
        problems.append(f"outcome keys differ: only native {list((left - right).items())[:5]}, "
                        f"only SQL {list((right - left).items())[:5]}")
    by_key = {}
    for row in got:
        by_key.setdefault(key(row), []).append(row)
    for row in expected:
        for other in by_key.get(key(row), []):
            if (row[2], row[3]) == (other[2], other[3]) and close(row[4], other[4]) and close(row[5], other[5]):
                by_key[key(row)].remove(other)
                break
        else:
            candidates = by_key.get(key(row), [])
            problems.append(f"{row[0]} / {row[1]}: native {row[2:]} but SQL {[c[2:] for c in candidates]}")
    return problems


def normalise(rows):
    def number(value):
        return None if value is None or value == "" else float(value)
    return [(r[0], r[1], r[2], r[5] or "", number(r[3]), number(r[4])) for r in rows]


class DuckDb:
    name = "duckdb"

    def __init__(self):
        import duckdb
        self.db = duckdb.connect()

    def load(self, tables):
        for table, (path, columns) in tables.items():
            types = {"text": "VARCHAR", "int": "INTEGER", "double": "DOUBLE"}
            spec = ", ".join(f"'{name}': '{types[kind]}'" for name, kind in columns)
            self.db.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM read_csv('{path}', "
                            f"header = true, nullstr = '', columns = {{{spec}}})")

    def run(self, sql):
        return self.db.execute(sql).fetchall()


class Postgres:
    name = "postgres"

    def __init__(self, socket_dir, port):
        self.args = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socket_dir, "-p", str(port),
                     "-U", "postgres", "-d", "postgres"]

    def psql(self, *extra, stdin=None):
        out = run(["su", "postgres", "-c", " ".join(f"'{a}'" for a in self.args + list(extra))],
                  input=stdin)
        if out.returncode != 0:
            raise RuntimeError(out.stderr.strip())
        return out.stdout

    def load(self, tables):
        types = {"text": "TEXT", "int": "INTEGER", "double": "DOUBLE PRECISION"}
        for table, (path, columns) in tables.items():
            spec = ", ".join(f"{name} {types[kind]}" for name, kind in columns)
            with open(path, encoding="utf-8") as handle:
                data = handle.read()
            self.psql("-c", f"DROP TABLE IF EXISTS {table}; CREATE TABLE {table} ({spec})")
            self.psql("-c", f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true)", stdin=data)
            self.psql("-c", f"ANALYZE {table}")

    def run(self, sql):
        import csv
        import io
        text = self.psql("--csv", "-f", "-", stdin=sql)
        rows = list(csv.reader(io.StringIO(text)))
        return [tuple(None if cell == "" and i in (3, 4) else cell for i, cell in enumerate(row))
                for row in rows[1:]]


class Spark:
    name = "spark"

    def __init__(self):
        from pyspark.sql import SparkSession
        # Two cores and a modest heap: the machine is shared.
        self.spark = (SparkSession.builder.master("local[2]").appName("zhibiao-conformance")
                      .config("spark.ui.enabled", "false")
                      .config("spark.ui.showConsoleProgress", "false")
                      .config("spark.sql.shuffle.partitions", "2")
                      # Adaptive execution re-renders the whole plan after
                      # each stage, which for a query of a hundred rules
                      # takes longer than running it.
                      .config("spark.sql.adaptive.enabled", "false")
                      .config("spark.sql.maxPlanStringLength", "10k")
                      # Each rule is a statement of its own: the status
                      # store would keep every one's plan in the heap.
                      .config("spark.sql.ui.retainedExecutions", "20")
                      .config("spark.ui.retainedJobs", "50")
                      .config("spark.ui.retainedStages", "100")
                      # The test tables are small: compiling each stage's
                      # code takes longer than running it interpreted.
                      .config("spark.sql.codegen.wholeStage", "false")
                      .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "4g"))
                      .getOrCreate())
        # Spark's warnings and progress bars would bury the comparison's
        # lines (its two start-up lines about the log level remain).
        self.spark.sparkContext.setLogLevel("ERROR")

    def load(self, tables):
        # The last case's cached tables and views (with their analysed
        # plans) would otherwise stay in the driver's memory.
        self.spark.catalog.clearCache()
        for view in self.spark.catalog.listTables():
            if view.isTemporary:
                self.spark.catalog.dropTempView(view.name)
        types = {"text": "STRING", "int": "INT", "double": "DOUBLE"}
        for table, (path, columns) in tables.items():
            schema = ", ".join(f"{name} {types[kind]}" for name, kind in columns)
            frame = self.spark.read.csv(path, header=True, schema=schema)
            frame.cache().createOrReplaceTempView(table)

    def run(self, sql):
        # Spark's form is statements writing what is computed once, and
        # each rule's outcomes, as files read back, then the query.
        *shared, final = sql.split(";\n")
        for statement in shared:
            self.spark.sql(statement)
        return [tuple(row) for row in self.spark.sql(final).collect()]


def start_postgres(workdir):
    """A private cluster on a Unix socket in `workdir` (no TCP), owned by postgres."""
    bindir = run(["pg_config", "--bindir"]).stdout.strip() or "/usr/lib/postgresql/15/bin"
    if not os.path.exists(os.path.join(bindir, "initdb")):
        candidates = sorted(os.listdir("/usr/lib/postgresql"))
        bindir = f"/usr/lib/postgresql/{candidates[-1]}/bin"
    data = os.path.join(workdir, "pgdata")
    os.chmod(workdir, 0o755)
    os.makedirs(data)
    subprocess.run(["chown", "-R", "postgres", workdir], check=True)
    port = 54000 + os.getpid() % 1000
    for step in ([f"{bindir}/initdb", "-D", data, "-U", "postgres", "--auth=trust"],
                 [f"{bindir}/pg_ctl", "-D", data, "-l", os.path.join(workdir, "pg.log"), "-w",
                  "-o", f"-c listen_addresses='' -k {workdir} -p {port} -c fsync=off", "start"]):
        out = run(["su", "postgres", "-c", " ".join(f'"{a}"' for a in step)])
        if out.returncode != 0:
            sys.exit(f"cannot start PostgreSQL: {out.stdout}{out.stderr}")
    return bindir, data, port


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--engines", default="duckdb,postgres,spark")
    parser.add_argument("--case", nargs="+", action="append", required=True, help="rule files")
    parser.add_argument("--data", nargs="+", action="append", required=True, help="data files")
    parser.add_argument("--timings", action="store_true", help="print each query's time")
    args = parser.parse_args()
    if len(args.case) != len(args.data):
        sys.exit("give one --data per --case")
    engines = args.engines.split(",")
    workdir = tempfile.mkdtemp(prefix="zhibiao-engines-")
    pg = None
    failures = {engine: [] for engine in engines}
    counts = Counter()
    # Seconds each engine spent starting, loading the tables and running
    # the queries.
    spent = Counter()
    runners = {}
    try:
        for engine in engines:
            started = time.time()
            if engine == "duckdb":
                runners[engine] = DuckDb()
            elif engine == "postgres":
                pg = start_postgres(workdir)
                runners[engine] = Postgres(workdir, pg[2])
            elif engine == "spark":
                runners[engine] = Spark()
            else:
                sys.exit(f"unknown engine {engine}")
            spent[engine] += time.time() - started
            print(f"{engine}: started in {spent[engine]:.1f} s", flush=True)
        for rules, data in zip(args.case, args.data):
            tables_dir = os.path.join(workdir, f"tables{counts['cases']}")
            counts["cases"] += 1
            out = run([args.bin, "sql", *rules, "--data", *data, "--emit-data", tables_dir])
            if out.returncode != 0:
                sys.exit(f"--emit-data failed on {data}: {out.stderr}")
            tables = {"obs": (os.path.join(tables_dir, "obs.csv"), OBS_COLUMNS),
                      "entities": (os.path.join(tables_dir, "entities.csv"), ENTITY_COLUMNS)}
            started = time.time()
            expected = native(args.bin, rules, data)
            native_time = time.time() - started
            label = " ".join(rules)
            if args.timings:
                print(f"  native check {label}: {native_time:.2f} s ({len(expected)} outcomes)", flush=True)
            for engine, runner in runners.items():
                sql, left_out = query(args.bin, rules, engine, os.path.join(workdir, "spark-scratch"))
                if left_out:
                    print(f"  {engine} {label}: {len(left_out)} rules without an SQL form not run: "
                          + "; ".join(sorted(left_out)), flush=True)
                    counts["left out"] += len(left_out)
                loading = time.time()
                try:
                    runner.load(tables)
                    started = time.time()
                    got = normalise(runner.run(sql))
                    took = time.time() - started
                except Exception as error:  # an engine's error is a failure of this case
                    failures[engine].append(f"{label}: {str(error)[:2000]}")
                    continue
                finally:
                    spent[engine] += time.time() - loading
                if args.timings:
                    print(f"  {engine} {label}: {took:.2f} s", flush=True)
                wanted = [row for row in expected if row[0] not in left_out]
                problems = compare(wanted, got)
                counts[engine] += len(wanted)
                failures[engine].extend(f"{label}: {p}" for p in problems[:20])
    finally:
        if "spark" in runners:
            runners["spark"].spark.stop()
        if pg is not None:
            bindir, data, _ = pg
            run(["su", "postgres", "-c", f"{bindir}/pg_ctl -D {data} -m fast stop"])
    bad = False
    for engine in engines:
        if failures[engine]:
            bad = True
            for problem in failures[engine]:
                print(f"  {engine}: {problem}")
            print(f"FAIL {engine}: {len(failures[engine])} mismatches over {counts['cases']} cases"
                  f" ({spent[engine]:.0f} s)")
        else:
            print(f"PASS {engine}: {counts[engine]} outcomes in {counts['cases']} cases identical to zhibiao check"
                  f" ({counts['left out'] // len(engines)} rules without an SQL form not run;"
                  f" {spent[engine]:.0f} s)")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
