"""The foreign-program catalogue (data/programs.yaml) and how it is loaded into the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "programs.yaml"


@dataclass(frozen=True)
class ProgramSpec:
    code: str
    name: str
    administration: str
    country: str
    signed: dt.date | None
    signed_text: str
    id_type: str


def specs(path: Path = DATA) -> list[ProgramSpec]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for item in raw["programs"]:
        signed = item.get("signed")
        out.append(
            ProgramSpec(
                code=item["code"],
                name=item["name"],
                administration=item["administration"],
                country=item["country"],
                signed=signed if isinstance(signed, dt.date) else None,
                signed_text=item.get("signed_text", ""),
                id_type=item["id_type"],
            )
        )
    return out


def sync(model) -> int:
    """Create or update every program from the data file (`model` may be a migration's historical model)."""
    n = 0
    for spec in specs():
        model.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "administration": spec.administration,
                "country": spec.country,
                "mra_signed": spec.signed,
                "mra_signed_text": spec.signed_text,
                "id_type": spec.id_type,
            },
        )
        n += 1
    return n
