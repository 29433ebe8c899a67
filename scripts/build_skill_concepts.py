"""Build app/reference/data/skill_concepts.csv: the skills vocabulary as bilingual concepts.

    .venv/bin/python scripts/build_skill_concepts.py          # write the CSV
    .venv/bin/python scripts/build_skill_concepts.py --check  # exit 1 if the CSV is stale

Inputs: app/reference/data/skills.csv (English canonical names, sectors, English synonyms)
and scripts/data/skill_concepts_source.txt (French labels and Kinyarwanda words of each of
them, plus general concepts members type, such as "ubuhinzi" or "comptabilité"). Output: one
row per concept: id, sector, English preferred label, English alternative labels, French
labels (first = preferred) and Kinyarwanda words, "|"-separated. Fails when a label would
mean two concepts, or a skill of skills.csv has no line in the source.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.reference.skills import normalise_skill  # noqa: E402

SKILLS_CSV = ROOT / "app" / "reference" / "data" / "skills.csv"
SOURCE = ROOT / "scripts" / "data" / "skill_concepts_source.txt"
OUTPUT = ROOT / "app" / "reference" / "data" / "skill_concepts.csv"
FIELDS = ("concept_id", "sector", "en_label", "en_alt_labels", "fr_labels", "rw_labels")


def concept_id(label: str) -> str:
    """Stable id from the English label ("c++ programming" -> "cpp_programming")."""
    label = label.replace("c++", "cpp").replace(".net", "dotnet").replace("c#", "csharp")
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def _split(field: str) -> list[str]:
    return [p.strip() for p in field.split(";") if p.strip()]


def build() -> str:
    """The CSV text; raises SystemExit with every problem found."""
    with SKILLS_CSV.open(encoding="utf-8") as fh:
        base = {row["canonical"].strip(): row for row in csv.DictReader(fh)}
    rows: list[dict[str, str]] = []
    seen: set[str] = set()
    problems: list[str] = []
    for n, line in enumerate(SOURCE.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in re.split(r"\s\|(?:\s|$)", line.rstrip())]
        fields += [""] * (5 - len(fields))
        en, fr, rw, sector, en_alts = fields[:5]
        if en in seen:
            problems.append(f"line {n}: {en!r} twice")
            continue
        seen.add(en)
        if en in base:
            sector = base[en]["sector"].strip()
            alts = [s.strip() for s in (base[en]["synonyms"] or "").split("|") if s.strip()]
        elif sector:
            alts = _split(en_alts)
        else:
            problems.append(f"line {n}: {en!r} is not in skills.csv and has no sector")
            continue
        rows.append(
            {
                "concept_id": concept_id(en),
                "sector": sector,
                "en_label": en,
                "en_alt_labels": "|".join(alts),
                "fr_labels": "|".join(_split(fr)),
                "rw_labels": "|".join(_split(rw)),
            }
        )
    problems += [f"{c!r} of skills.csv has no line in the source" for c in base if c not in seen]
    owner: dict[str, str] = {}
    for row in rows:
        labels = [row["en_label"]] + [
            t for k in ("en_alt_labels", "fr_labels", "rw_labels") for t in row[k].split("|") if t
        ]
        for label in labels:
            key = normalise_skill(label)
            other = owner.setdefault(key, row["concept_id"])
            if other != row["concept_id"]:
                problems.append(f"{label!r} means both {other} and {row['concept_id']}")
    if problems:
        raise SystemExit("\n".join(problems))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if the CSV is not up to date")
    args = ap.parse_args()
    text = build()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is stale: run scripts/build_skill_concepts.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({text.count(chr(10)) - 1} concepts)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
