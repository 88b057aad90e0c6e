"""Benchmark: searching 1,000 speech texts (built from the seed speeches, each about 10,000
characters) for Chinese words, through the selector the search pages use, on a throw-away database:
SQLite by default, or the PostgreSQL of DATABASE_URL. `make bench` runs it.

    python bench/material_search.py [--materials 1000] [--repeat 20]
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import _results  # noqa: E402
from django.db import connection  # noqa: E402

from materials import rules, selectors, services  # noqa: E402
from materials.models import Material  # noqa: E402
from training.models import Course, Organization  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "materials" / "seeds"
QUERIES = ("产业工人", "工会法", "职工之家 服务", "劳模工匠", "不存在的词语")


def build(count: int) -> Course:
    organization = Organization.objects.create(name="基准测试总工会")
    course = Course.objects.create(
        organization=organization,
        code="BENCH-02",
        name="基准测试培训班",
        start_date="2026-11-20",
        end_date="2026-11-22",
    )
    paragraphs = []
    for path in sorted(SEEDS.glob("*.txt")):
        for article in rules.parse(path.read_text(encoding="utf-8")):
            paragraphs.extend(article.body.split("\n"))
    rng = random.Random(1000)
    rows = []
    for i in range(count):
        body = "\n".join(rng.sample(paragraphs, 45)) + f"\n（第{i + 1}号材料）"
        rows.append(
            Material(course=course, title=f"学习材料{i + 1}", body=body, fingerprint=services.fingerprint(body))
        )
    for material in Material.objects.bulk_create(rows, batch_size=200):
        services.material_index(material=material)
    return course


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--materials", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        course = build(args.materials)
        size = sum(len(b) for b in Material.objects.values_list("body", flat=True))
        print(f"材料检索：{args.materials} 份材料，共 {size / 10_000:.0f} 万字（{connection.vendor}）")
        slowest = 0.0
        for query in QUERIES:
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                hits = selectors.material_search(course.materials.all(), query)
                times.append(time.perf_counter() - start)
            print(
                f"  “{query}”：命中 {len(hits)} 份，中位数 {statistics.median(times) * 1000:.0f} ms，最慢 {max(times) * 1000:.0f} ms"
            )
            slowest = max(slowest, statistics.median(times) * 1000)
        _results.save(search_slowest_median_ms=slowest)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
