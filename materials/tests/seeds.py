"""The five seed speeches (as kept in materials/seeds/) and the organizer-style variants of them
kept in materials/tests/files/."""

from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FILES = Path(__file__).resolve().parent / "files"


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}-*.txt")).read_text(encoding="utf-8")


def seed_path(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}-*.txt"))
