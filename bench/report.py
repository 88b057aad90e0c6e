"""Turns bench/results.json (one `make bench` run) into bench/RESULTS.md, a table with the machine
it ran on, and puts the same table into the README between its bench markers."""

import json
import os
import platform
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"

ROWS = (
    # key, label, unit, target (text) or ""
    ("checkin_cost_ratio", "签到的开销 ÷ 最便宜的登录后页面", "倍", "≤ 2"),
    ("checkin_ms", "签到（一次一个，服务端往返）", "ms", ""),
    ("floor_ms", "最便宜的登录后学员页面", "ms", ""),
    ("checkin_p50_ms", "500 人 60 秒内随机到达：p50", "ms", ""),
    ("checkin_p99_ms", "500 人 60 秒内随机到达：p99", "ms", "< 100"),
    ("checkin_max_per_s", "极限签到速率（16 个客户端）", "次/秒", ""),
    ("checkin_max_p99_ms", "极限速率下的 p99", "ms", ""),
    ("checkin_errors", "非 200 的回答", "个", "0"),
    ("dashboard_queries", "概览页 SQL 查询", "次", ""),
    ("dashboard_ms", "概览页（500 人 × 30 课次）", "ms", ""),
    ("grid_queries", "考勤总表 SQL 查询", "次", ""),
    ("grid_ms", "考勤总表（500 人 × 30 课次）", "ms", ""),
    ("roster_queries", "花名册 SQL 查询", "次", ""),
    ("roster_ms", "花名册（500 人）", "ms", ""),
    ("timetable_queries", "课表 SQL 查询", "次", ""),
    ("timetable_ms", "课表（30 课次）", "ms", ""),
    ("eligibility_queries", "结业认定 SQL 查询", "次", ""),
    ("eligibility_ms", "结业认定（500 人 × 30 课次）", "ms", ""),
    ("roster_5000_s", "导入 5,000 行花名册（首次）", "s", ""),
    ("roster_5000_again_s", "再次导入同一文件", "s", ""),
    ("cert_pdf_kb", "一份证书 PDF（含嵌入字体）", "KB", "≤ 100"),
    ("cert_single_s", "单独生成一份证书", "s", ""),
    ("cert_batch_per_cert_s", "200 份合成一个 PDF，每份", "s", ""),
    ("cert_batch_speedup", "合成比单独生成快", "倍", "≥ 10"),
    ("report_500x20_s", "考勤报告 PDF（500 人 × 20 课次）", "s", "< 8"),
    ("report_500x20_pages", "考勤报告页数", "页", ""),
    ("report_xlsx_s", "考勤报告 Excel", "s", ""),
    ("render_peak_mb", "渲染进程内存峰值", "MB", ""),
    ("dossier_s", "结班归档后台任务（500 人 × 20 课次，全部文件、ZIP 和合订本）", "s", "< 60"),
    ("dossier_peak_mb", "结班归档渲染进程内存峰值", "MB", "< 600"),
    ("dossier_files", "归档文件数", "个", ""),
    ("dossier_pages", "合订本页数", "页", ""),
    ("dossier_zip_mb", "归档 ZIP", "MB", ""),
    ("search_slowest_median_ms", "材料检索（1,000 份），最慢的一个词的中位数", "ms", ""),
    ("lodging_assign_ms", "自动分房（500 人、200 个房间）", "ms", "< 1000"),
    ("lodging_assign_queries", "自动分房 SQL 查询", "次", ""),
    ("lodging_meals_ms", "就餐统计（500 人 × 3 天）", "ms", "< 1000"),
    ("lodging_meals_queries", "就餐统计 SQL 查询", "次", ""),
    ("reminders_per_s", "提醒发送（2 个 worker）", "条/秒", ""),
    ("evaluation_p50_ms", "评教：500 人 60 秒内提交总体评价，p50", "ms", ""),
    ("evaluation_p95_ms", "评教提交 p95", "ms", ""),
    ("evaluation_p99_ms", "评教提交 p99", "ms", "< 100"),
    ("evaluation_max_ms", "评教提交最慢", "ms", ""),
    ("evaluation_errors", "评教提交未成功", "个", "0"),
    ("evaluation_results_queries", "评教结果页 SQL 查询（与 3 课次 × 50 份相同）", "次", ""),
    ("evaluation_results_ms", "评教结果页（30 课次 × 500 份），中位数", "ms", "< 300"),
    ("evaluation_results_p95_ms", "评教结果页 p95", "ms", ""),
)


def _run(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = next(
        (
            int(line.split()[1]) // 1024 // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    postgres = _run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "show server_version"]) or "?"
    redis = _run(["redis-cli", "-h", "127.0.0.1", "info", "server"])
    redis = next((line.split(":")[1] for line in redis.splitlines() if line.startswith("redis_version")), "?")
    return (
        f"{cpu}，{os.cpu_count()} 核，{memory} GiB 内存；{platform.system()} {platform.release()}；"
        f"Python {platform.python_version()}，PostgreSQL {postgres.split()[0] if postgres else '?'}，Redis {redis}"
    )


def table(results: dict) -> str:
    lines = ["| 项目 | 结果 | 目标 |", "|---|---|---|"]
    for key, label, unit, target in ROWS:
        if key not in results:
            continue
        value = results[key]
        if isinstance(value, float):
            shown = f"{value:,.0f}" if value >= 100 else f"{value:.2f}" if value >= 1 else f"{value:.3f}"
        else:
            shown = f"{value}"
        lines.append(f"| {label} | {shown} {unit} | {target} |")
    return "\n".join(lines)


def main():
    results = json.loads(RESULTS.read_text())
    stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    body = (
        f"# 基准测试结果\n\n`make bench` 于 {stamp} 的一次运行（gunicorn 4 个进程 + PostgreSQL + Redis，客户端与服务在同一台机器）。\n\n"
        f"机器：{machine()}\n\n{table(results)}\n\n原始数字：[`results.json`](results.json)。\n"
    )
    (ROOT / "bench" / "RESULTS.md").write_text(body)
    readme = ROOT / "README.md"
    text = readme.read_text()
    block = f"<!-- bench:start -->\n{stamp}，{machine()}：\n\n{table(results)}\n<!-- bench:end -->"
    if "<!-- bench:start -->" in text:
        text = re.sub(r"<!-- bench:start -->.*?<!-- bench:end -->", lambda _: block, text, flags=re.S)
        readme.write_text(text)
    print(body)


if __name__ == "__main__":
    sys.exit(main())
