"""Evaluate the CV reader on a corpus of real PDF and DOCX files with expected extractions.

A corpus directory holds, per CV, either the file itself (`name.pdf` / `name.docx`) or its
source text (`name.txt`, rendered here to a PDF or DOCX in the layout its header names), and
`name.json`, the extraction a careful human would make. `flask profiles cv-eval` prints
precision, recall and F1 per field and per CV language; tests/profiles/test_cv_eval.py holds
the targets.

Source format: `%format: pdf|docx` and `%layout: one-column|two-columns|table` header lines;
`## Heading` lines; table rows with cells separated by ` || `; in a two-column CV a `%column`
line separates the sidebar (left frame) from the main column.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, utils

from app.profiles.cv_reader import CVReading, fold, read_cv

FIELDS = ("skills", "experience", "education", "languages", "contacts")
# What the CI test holds the reader to, in each language.
TARGETS = {"skills": ("f1", 0.80), "experience": ("recall", 0.90)}
# The corpus's CVs are dated as if read on this day ("present" ends here).
CORPUS_TODAY = date(2026, 6, 1)


# --------------------------------------------------------------------------- rendering


@dataclass(slots=True)
class Source:
    name: str
    format: str
    layout: str
    blocks: list[tuple[str, Any]]  # ("heading"|"line", text) | ("table", rows) | ("column", "")


def parse_source(name: str, text: str) -> Source:
    meta = {"format": "pdf", "layout": "one-column"}
    blocks: list[tuple[str, Any]] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        if line.startswith("%column"):
            blocks.append(("column", ""))
        elif line.startswith("%"):
            key, _, value = line[1:].partition(":")
            meta[key.strip()] = value.strip()
        elif line.startswith("## "):
            blocks.append(("heading", line[3:].strip()))
        elif " || " in line:
            cells = [c.strip() for c in line.split(" || ")]
            if blocks and blocks[-1][0] == "table":
                blocks[-1][1].append(cells)
            else:
                blocks.append(("table", [cells]))
        else:
            blocks.append(("line", line.strip()))
    return Source(name, meta["format"], meta["layout"], blocks)


def render_pdf(source: Source) -> bytes:
    """Draw the CV with reportlab: one frame, or two frames side by side for two columns."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        FrameBreak,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=9, leading=11.5)
    heading = ParagraphStyle(
        "heading", fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=6
    )
    buffer = io.BytesIO()
    width, height = A4
    margin = 15 * mm
    if source.layout == "two-columns":
        side = (width - 2 * margin) * 0.32
        frames = [
            Frame(margin, margin, side, height - 2 * margin, id="side"),
            Frame(
                margin + side + 6 * mm,
                margin,
                width - 2 * margin - side - 6 * mm,
                height - 2 * margin,
                id="main",
            ),
        ]
    else:
        frames = [Frame(margin, margin, width - 2 * margin, height - 2 * margin, id="main")]
    doc = BaseDocTemplate(buffer, pagesize=A4, title=source.name)
    doc.addPageTemplates([PageTemplate(id="cv", frames=frames)])
    story: list[Any] = []
    for kind, value in source.blocks:
        if kind == "column":
            story.append(FrameBreak())
        elif kind == "heading":
            story.append(Paragraph(escape(value.upper()), heading))
        elif kind == "line":
            story.append(Paragraph(escape(value), body))
        else:
            n = len(value[0])
            col = (width - 2 * margin) / n
            widths = [col * 0.8] + [(width - 2 * margin - col * 0.8) / (n - 1)] * (n - 1)
            rows = [[Paragraph(escape(c), body) for c in row] for row in value]
            table = Table(rows, colWidths=widths)
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.extend([table, Spacer(1, 4)])
    doc.build(story)
    return buffer.getvalue()


def render_docx(source: Source) -> bytes:
    """Write the CV with python-docx: paragraphs, bold headings and real Word tables."""
    from docx import Document

    document = Document()
    for kind, value in source.blocks:
        if kind == "heading":
            document.add_heading(value, level=2)
        elif kind == "line":
            document.add_paragraph(value)
        elif kind == "table":
            table = document.add_table(rows=0, cols=len(value[0]))
            table.style = "Table Grid"
            for row in value:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=False):
                    cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_corpus(source_dir: Path, out_dir: Path) -> list[Path]:
    """Render every `*.txt` source to its PDF or DOCX next to a copy of its expectation."""
    out_dir.mkdir(parents=True, exist_ok=True)
    built = []
    for path in sorted(source_dir.glob("*.txt")):
        source = parse_source(path.stem, path.read_text("utf-8"))
        data = render_pdf(source) if source.format == "pdf" else render_docx(source)
        target = out_dir / f"{path.stem}.{source.format}"
        target.write_bytes(data)
        (out_dir / f"{path.stem}.json").write_text(
            (source_dir / f"{path.stem}.json").read_text("utf-8"), "utf-8"
        )
        built.append(target)
    return built


# --------------------------------------------------------------------------- scoring


@dataclass(slots=True)
class Count:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Report:
    # counts[language][field]
    counts: dict[str, dict[str, Count]] = field(default_factory=dict)
    files: int = 0
    misses: list[str] = field(default_factory=list)

    def count(self, language: str, name: str) -> Count:
        return self.counts.setdefault(language, {f: Count() for f in FIELDS})[name]

    def failures(self) -> list[str]:
        """Targets not met, one sentence each (empty when all are met)."""
        out = []
        for language, by_field in sorted(self.counts.items()):
            for name, (measure, target) in TARGETS.items():
                value = getattr(by_field[name], measure)
                if value < target:
                    out.append(f"{language} {name} {measure} {value:.3f} < {target}")
        return out

    def table(self) -> str:
        lines = [f"{'lang':<5}{'field':<12}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"]
        for language, by_field in sorted(self.counts.items()):
            for name in FIELDS:
                c = by_field[name]
                lines.append(
                    f"{language:<5}{name:<12}{c.precision:7.3f}{c.recall:7.3f}{c.f1:7.3f}"
                    f"{c.tp:5d}{c.fp:5d}{c.fn:5d}"
                )
        return "\n".join(lines)


def _match(
    expected: list[Any], found: list[Any], same: Callable[[Any, Any], bool]
) -> tuple[int, list[Any], list[Any]]:
    """Greedy one-to-one matching; returns (matches, unmatched expected, unmatched found)."""
    left = list(found)
    missed = []
    hits = 0
    for item in expected:
        partner = next((f for f in left if same(item, f)), None)
        if partner is None:
            missed.append(item)
        else:
            left.remove(partner)
            hits += 1
    return hits, missed, left


def _similar(a: str, b: str, threshold: float = 80) -> bool:
    return fuzz.token_set_ratio(fold(a), fold(b), processor=utils.default_process) >= threshold


def _year(value: str | None) -> int | None:
    return int(value[:4]) if value else None


def _same_experience(expected: dict[str, Any], found: dict[str, Any]) -> bool:
    return (
        _year(expected["start"]) == _year(found["start"])
        and _year(expected["end"]) == _year(found["end"])
        and _similar(expected["title"], found["title"])
        and (not expected["employer"] or _similar(expected["employer"], found["employer"]))
    )


def _same_education(expected: dict[str, Any], found: dict[str, Any]) -> bool:
    if expected["year"] != found["year"]:
        return False
    if expected["institution"]:
        return _similar(expected["institution"], found["institution"])
    return _similar(
        f"{expected['degree']} {expected['field']}", f"{found['degree']} {found['field']}"
    )


def _contact_items(contacts: dict[str, str]) -> set[tuple[str, str]]:
    items = set()
    if contacts.get("email"):
        items.add(("email", contacts["email"].lower()))
    if contacts.get("phone"):
        items.add(("phone", re.sub(r"\D", "", contacts["phone"])))
    if contacts.get("linkedin"):
        slug = contacts["linkedin"].lower().rstrip("/").split("linkedin.com/")[-1]
        items.add(("linkedin", slug))
    return items


def score(report: Report, name: str, expected: dict[str, Any], reading: CVReading) -> None:
    """Add one CV's comparison to the report."""
    language = expected["language"]
    found = reading.to_dict()
    sets: dict[str, tuple[set[Any], set[Any]]] = {
        "skills": (set(expected["skills"]), {s["name"] for s in found["skills"]}),
        "languages": (
            {(x["code"], x["level"]) for x in expected["languages"]},
            {(x["code"], x["level"]) for x in found["languages"]},
        ),
        "contacts": (_contact_items(expected["contacts"]), _contact_items(found["contacts"])),
    }
    for key, (want, got) in sets.items():
        report.count(language, key).add(len(want & got), len(got - want), len(want - got))
        for item in sorted(map(str, want - got)):
            report.misses.append(f"{name}: {key} missed {item}")
        for item in sorted(map(str, got - want)):
            report.misses.append(f"{name}: {key} extra {item}")
    for key, same in (("experience", _same_experience), ("education", _same_education)):
        hits, missed, extra = _match(expected[key], found[key], same)
        report.count(language, key).add(hits, len(extra), len(missed))
        report.misses.extend(f"{name}: {key} missed {m}" for m in missed)
        report.misses.extend(f"{name}: {key} extra {e}" for e in extra)


def evaluate(
    files: Iterable[Path], extract_text: Callable[[bytes], str], today: date = CORPUS_TODAY
) -> Report:
    """Extract, read and score every CV file that has an expectation beside it."""
    report = Report()
    for path in sorted(files):
        expectation = path.with_suffix(".json")
        if not expectation.exists():
            continue
        expected = json.loads(expectation.read_text("utf-8"))
        reading = read_cv(extract_text(path.read_bytes()), today=today)
        score(report, path.stem, expected, reading)
        report.files += 1
    return report


def corpus_files(directory: Path, work_dir: Path) -> list[Path]:
    """The CV files of a corpus directory, rendering `*.txt` sources into work_dir first."""
    files = [p for p in directory.iterdir() if p.suffix in (".pdf", ".docx")]
    if any(directory.glob("*.txt")):
        files += build_corpus(directory, work_dir)
    return files
