#!/usr/bin/env python3
"""The national benchmark's checks (benches/data/national.rules) written in
polars and in DuckDB, timed against `zhibiao check` on the same files in the
same run, whole process each (start-up, load, check, write the results).

    pip install polars duckdb
    cargo build --release
    python3 benches/peers.py [--runs 5] FILE.csv...

Each command runs in turn (zhibiao, polars, duckdb, zhibiao, ...); the table
gives each one's median wall time with its spread (min-max), its peak
memory, and the ratio zhibiao / peer. The peers read only the indicators the
rules read, as zhibiao does; they give one pass/fail per check and county,
without zhibiao's explanations, series and coverage section.

Run as `python3 benches/peers.py --peer polars|duckdb FILE` it is one peer.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RULES = os.path.join(HERE, "data", "national.rules")
ZHIBIAO = os.path.join(ROOT, "target", "release", "zhibiao")
NEEDED = ["县域就诊率", "孕产妇死亡率", "婴儿死亡率", "千人医师数", "人均预期寿命",
          "卫生总费用", "每千人口床位数", "5岁以下儿童死亡率"]


def is_wide(path):
    with open(path, encoding="utf-8") as file:
        return "指标" not in file.readline().strip().split(",")


def polars_checks(path):
    import polars as pl
    if is_wide(path):
        frame = pl.scan_csv(path).select(["地区", "上级", "年份"] + NEEDED).unpivot(
            index=["地区", "上级", "年份"], on=NEEDED, variable_name="指标", value_name="值")
    else:
        frame = pl.scan_csv(path, schema_overrides={"值": pl.Float64}).filter(
            pl.col("指标").is_in(NEEDED))
    long = frame.drop_nulls("值").collect()
    wide = long.pivot(on="指标", index=["地区", "上级", "年份"], values="值")
    county = wide.filter(pl.col("地区").str.starts_with("县"))
    at = lambda year: county.filter(pl.col("年份") == year)
    results = {}
    for name, frame, test in [
        ("县域就诊率 2025", at(2025), pl.col("县域就诊率") >= 90),
        ("孕产妇死亡率 2023", at(2023), pl.col("孕产妇死亡率") < 14.5),
        ("婴儿死亡率 2024", at(2024), pl.col("婴儿死亡率") < 5.2),
        ("千人医师数 2024", at(2024), pl.col("千人医师数") >= 3.2),
        ("人均预期寿命 2024", at(2024), pl.col("人均预期寿命") >= 78.3),
    ]:
        results[name] = frame.select(pl.col("地区"), test.alias("met")).rows()
    span = county.filter(pl.col("年份").is_between(2020, 2024))
    results["县域就诊率 2020..2024"] = span.group_by("地区").agg(
        (pl.col("县域就诊率") >= 88).all()).rows()
    beds = county.filter(pl.col("年份") <= 2024).sort("地区", "年份")
    results["床位 never falls"] = beds.group_by("地区").agg(
        (pl.col("每千人口床位数").diff().drop_nulls() >= 0).all()).rows()
    def ratio(indicator, first, last):
        ends = county.filter(pl.col("年份").is_in([first, last])).pivot(
            on="年份", index="地区", values=indicator)
        return ends.select("地区", (pl.col(str(last)) / pl.col(str(first))).alias("r"))
    results["growth"] = ratio("婴儿死亡率", 2020, 2024).select(
        "地区", pl.col("r") - 1 <= -0.10).rows()
    results["cagr"] = ratio("卫生总费用", 2016, 2024).select(
        "地区", pl.col("r") ** (1 / 8) - 1 >= 0.08).rows()
    results["avg"] = span.group_by("地区").agg(
        pl.col("5岁以下儿童死亡率").mean() < 7).rows()
    y2024 = wide.filter(pl.col("年份") == 2024)
    parents = y2024.select(pl.col("地区").alias("上级"), pl.col("孕产妇死亡率").alias("p"))
    results["below parent"] = at(2024).join(parents, on="上级").select(
        "地区", pl.col("孕产妇死亡率") < pl.col("p")).rows()
    cities = wide.select(pl.col("地区").alias("上级"), pl.col("上级").alias("省")).unique()
    per_province = at(2024).join(cities, on="上级").group_by("省").agg(
        ((pl.col("县域就诊率") >= 90).mean() >= 0.75))
    results["share"] = per_province.rows()
    results["city avg"] = at(2024).group_by("上级").agg(pl.col("千人医师数").mean() >= 2.5).rows()
    return results


def duckdb_checks(path):
    import duckdb
    db = duckdb.connect()
    names = ", ".join(f"'{name}'" for name in NEEDED)
    if is_wide(path):
        columns = ", ".join(f'"{name}"' for name in NEEDED)
        db.execute(f"""CREATE TABLE long AS SELECT 地区, 上级, 年份, 指标, 值 FROM
            (UNPIVOT (SELECT 地区, 上级, 年份, {columns} FROM read_csv('{path}'))
             ON {columns} INTO NAME 指标 VALUE 值) WHERE 值 IS NOT NULL""")
    else:
        db.execute(f"""CREATE TABLE long AS SELECT * FROM read_csv('{path}',
            types={{'值': 'DOUBLE'}}) WHERE 指标 IN ({names}) AND 值 IS NOT NULL""")
    db.execute("""CREATE TABLE w AS PIVOT long ON 指标 USING first(值) GROUP BY 地区, 上级, 年份""")
    db.execute("CREATE VIEW c AS SELECT * FROM w WHERE 地区 LIKE '县%'")
    queries = {
        "县域就诊率 2025": "SELECT 地区, 县域就诊率 >= 90 FROM c WHERE 年份 = 2025",
        "孕产妇死亡率 2023": "SELECT 地区, 孕产妇死亡率 < 14.5 FROM c WHERE 年份 = 2023",
        "婴儿死亡率 2024": "SELECT 地区, 婴儿死亡率 < 5.2 FROM c WHERE 年份 = 2024",
        "千人医师数 2024": "SELECT 地区, 千人医师数 >= 3.2 FROM c WHERE 年份 = 2024",
        "人均预期寿命 2024": "SELECT 地区, 人均预期寿命 >= 78.3 FROM c WHERE 年份 = 2024",
        "县域就诊率 2020..2024": "SELECT 地区, bool_and(县域就诊率 >= 88) FROM c WHERE 年份 BETWEEN 2020 AND 2024 GROUP BY 地区",
        "床位 never falls": """SELECT 地区, bool_and(d >= 0) FROM (SELECT 地区, 每千人口床位数 - lag(每千人口床位数)
            OVER (PARTITION BY 地区 ORDER BY 年份) AS d FROM c WHERE 年份 <= 2024) WHERE d IS NOT NULL GROUP BY 地区""",
        "growth": """SELECT 地区, max(婴儿死亡率) FILTER (年份 = 2024) / max(婴儿死亡率) FILTER (年份 = 2020) - 1 <= -0.10
            FROM c GROUP BY 地区""",
        "cagr": """SELECT 地区, pow(max(卫生总费用) FILTER (年份 = 2024) / max(卫生总费用) FILTER (年份 = 2016), 1.0 / 8) - 1 >= 0.08
            FROM c GROUP BY 地区""",
        "avg": "SELECT 地区, avg(\"5岁以下儿童死亡率\") < 7 FROM c WHERE 年份 BETWEEN 2020 AND 2024 GROUP BY 地区",
        "below parent": """SELECT c.地区, c.孕产妇死亡率 < p.孕产妇死亡率 FROM c JOIN w p ON p.地区 = c.上级 AND p.年份 = c.年份
            WHERE c.年份 = 2024""",
        "share": """SELECT city.上级, avg(CASE WHEN c.县域就诊率 >= 90 THEN 1 ELSE 0 END) >= 0.75 FROM c
            JOIN (SELECT DISTINCT 地区, 上级 FROM w) city ON city.地区 = c.上级 WHERE c.年份 = 2024 GROUP BY city.上级""",
        "city avg": "SELECT 上级, avg(千人医师数) >= 2.5 FROM c WHERE 年份 = 2024 GROUP BY 上级",
    }
    return {name: db.execute(query).fetchall() for name, query in queries.items()}


def run_peer(peer, path):
    checks = polars_checks if peer == "polars" else duckdb_checks
    results = checks(path)
    json.dump({name: [list(map(str, row)) for row in rows] for name, rows in results.items()},
              sys.stdout, ensure_ascii=False)


def timed(command):
    """Wall seconds and peak memory (MiB) of one whole process."""
    start = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peer", choices=["polars", "duckdb"])
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    if args.peer:
        run_peer(args.peer, args.files[0])
        return
    print("| data | zhibiao | polars | DuckDB | zhibiao / polars | zhibiao / DuckDB |")
    print("|---|---|---|---|---|---|")
    for path in args.files:
        commands = {
            "zhibiao": [ZHIBIAO, "check", RULES, "--data", path, "--format", "json"],
            "polars": [sys.executable, __file__, "--peer", "polars", path],
            "duckdb": [sys.executable, __file__, "--peer", "duckdb", path],
        }
        runs = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                wall, peak, code = timed(command)
                if name != "zhibiao" and code != 0:
                    sys.exit(f"{name} failed on {path} (exit {code})")
                runs[name].append((wall, peak))
        cells = {}
        medians = {}
        for name, measured in runs.items():
            walls = [wall for wall, _ in measured]
            medians[name] = statistics.median(walls)
            peak = max(peak for _, peak in measured)
            cells[name] = f"{medians[name]:.3f} s ({min(walls):.3f}–{max(walls):.3f}), {peak:.0f} MiB"
        size = os.path.getsize(path) / 1e6
        print(f"| {os.path.basename(path)} ({size:.0f} MB) | {cells['zhibiao']} | {cells['polars']} | "
              f"{cells['duckdb']} | {medians['zhibiao'] / medians['polars']:.2f} | "
              f"{medians['zhibiao'] / medians['duckdb']:.2f} |")


if __name__ == "__main__":
    main()
