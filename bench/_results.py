"""Where the benchmark scripts put their figures: one flat JSON object in bench/results.json, each
script adding its own keys (`make bench` starts from an empty file), and bench/report.py turning
it into bench/RESULTS.md and the table in the README."""

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.json"


def save(**figures) -> None:
    current = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    current.update({key: round(value, 3) if isinstance(value, float) else value for key, value in figures.items()})
    RESULTS.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n")
