"""Build app/reference/data/skill_concepts.csv: the skills vocabulary as bilingual concepts.

    .venv/bin/python scripts/build_skill_concepts.py          # write the CSVs
    .venv/bin/python scripts/build_skill_concepts.py --check  # exit 1 if a CSV is stale
    .venv/bin/python scripts/build_skill_concepts.py --esco /path/to/esco  # ESCO files elsewhere

Inputs: app/reference/data/skills.csv (English canonical names, sectors, English synonyms)
and scripts/data/skill_concepts_source.txt (French labels and Kinyarwanda words of each of
them, plus general concepts members type, such as "ubuhinzi" or "comptabilité"). Output: one
row per concept: id, sector, English preferred label, English alternative labels, French
labels (first = preferred) and Kinyarwanda words, "|"-separated. Fails when a label would
mean two concepts, or a skill of skills.csv has no line in the source.

Second output, from ESCO's skills_en.csv and skills_fr.csv (directory --esco, default
/tmp/esco; the raw files are not in the repository): app/reference/data/esco_skill_labels.csv,
one row per ESCO skill with only its labels: the UUID tail of its URI, the curated concept it
coincides with (a preferred label of one equals a label of the other; empty otherwise), English
preferred and alternative labels, French preferred and alternative labels. Without the ESCO
directory the file in the repository is kept (and --check only checks the curated CSV).
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
ESCO_DIR = Path("/tmp/esco")  # noqa: S108 - default only; --esco DIR
ESCO_OUTPUT = ROOT / "app" / "reference" / "data" / "esco_skill_labels.csv"
ESCO_FIELDS = ("esco_id", "concept_id", "en_label", "en_alt_labels", "fr_label", "fr_alt_labels")


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


def _esco_rows(path: Path) -> dict[str, dict[str, str]]:
    """ESCO skills of one language by UUID tail: preferred label and alternative labels."""
    rows: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            uri = (row.get("conceptUri") or "").strip()
            if not uri:
                continue
            alts = [a.strip() for a in (row.get("altLabels") or "").split("\n")]
            if "|" in (row.get("preferredLabel") or "") + (row.get("altLabels") or ""):
                raise SystemExit(f"{path.name}: {uri} has a label with '|' (the list separator)")
            rows[uri.rsplit("/", 1)[-1]] = {
                "pref": " ".join((row.get("preferredLabel") or "").split()),
                "alts": "|".join(dict.fromkeys(" ".join(a.split()) for a in alts if a.strip())),
            }
    return rows


def _curated_keys(concepts_csv: str) -> dict[str, set[str]]:
    """Every normalised curated label (English or French) -> the concept ids it names."""
    owners: dict[str, set[str]] = {}
    for row in csv.DictReader(concepts_csv.splitlines()):
        labels = [row["en_label"]] + [
            t for k in ("en_alt_labels", "fr_labels") for t in row[k].split("|") if t
        ]
        for label in labels:
            owners.setdefault(normalise_skill(label), set()).add(row["concept_id"])
    return owners


def build_esco(esco_dir: Path, concepts_csv: str) -> str:
    """The ESCO labels CSV text, each ESCO skill linked to the curated concept it coincides
    with: its English or French preferred label is a label of exactly one curated concept."""
    en = _esco_rows(esco_dir / "skills_en.csv")
    fr = _esco_rows(esco_dir / "skills_fr.csv")
    owners = _curated_keys(concepts_csv)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ESCO_FIELDS, lineterminator="\n")
    writer.writeheader()
    for esco_id in sorted(set(en) | set(fr)):
        e = en.get(esco_id, {"pref": "", "alts": ""})
        f = fr.get(esco_id, {"pref": "", "alts": ""})
        linked: set[str] = set()
        for pref in (e["pref"], f["pref"]):
            if pref:
                linked |= owners.get(normalise_skill(pref), set())
        writer.writerow(
            {
                "esco_id": esco_id,
                "concept_id": next(iter(linked)) if len(linked) == 1 else "",
                "en_label": e["pref"],
                "en_alt_labels": e["alts"],
                "fr_label": f["pref"],
                "fr_alt_labels": f["alts"],
            }
        )
    return out.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if a CSV is not up to date")
    ap.add_argument(
        "--esco", type=Path, default=ESCO_DIR, help="directory of skills_en.csv and skills_fr.csv"
    )
    args = ap.parse_args()
    text = build()
    outputs = [(OUTPUT, text)]
    if (args.esco / "skills_en.csv").is_file() and (args.esco / "skills_fr.csv").is_file():
        outputs.append((ESCO_OUTPUT, build_esco(args.esco, text)))
    else:
        print(f"no ESCO files in {args.esco}: {ESCO_OUTPUT.name} left as it is", file=sys.stderr)
    if args.check:
        stale = False
        for path, content in outputs:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != content:
                print(f"{path} is stale: run scripts/build_skill_concepts.py", file=sys.stderr)
                stale = True
        return 1 if stale else 0
    for path, content in outputs:
        path.write_text(content, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)} ({content.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
