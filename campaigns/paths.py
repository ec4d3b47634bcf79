"""Where the shipped files are: inside the package when installed, at the top of a checkout."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
MIGRATIONS = PACKAGE_DIR / "migrations"


def shipped_folder(name: str) -> Path:
    """``templates`` or ``static``: a wheel maps them into the package (see pyproject.toml);
    a checkout keeps them at its top, beside the package."""
    packaged = PACKAGE_DIR / name
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / name


TEMPLATES = shipped_folder("templates")
STATIC = shipped_folder("static")
