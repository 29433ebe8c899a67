"""Bounded text extraction from a CV file, run in a child process with OS limits.

This module imports nothing from the app (no Flask, no database): the worker runs it as a script
(`python -I app/profiles/cvtext.py`) with the file on stdin, after the child has lowered its own
CPU-time, address-space and file-size limits, and reads one JSON object from stdout. Parsing a
hostile PDF therefore costs at most the CPU seconds and memory the parent allows, whatever pypdf
does inside; the caps below refuse most such files long before those limits are reached.
"""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Entry names that are archives themselves: a nested zip is refused, never opened.
NESTED_ARCHIVE_SUFFIXES = (".zip", ".docx", ".docm", ".xlsx", ".pptx", ".jar", ".gz", ".7z", ".rar")


@dataclass(frozen=True, slots=True)
class Limits:
    """Work allowed per file; the defaults are what production uses (docs/performance.md)."""

    cpu_seconds: int = 5
    wall_seconds: float = 12.0
    memory_mb: int = 256
    # Longer files are refused; of the rest, the first `pages_read` pages are read (a long
    # academic CV lists publications after what the reader needs).
    max_pages: int = 100
    pages_read: int = 30
    # Decoded page content streams, summed over pages (a page that reuses a stream counts again).
    # Real CVs measured 5-100 KB a page; a text-operator bomb needs megabytes.
    max_content_bytes: int = 2 * 1024 * 1024
    # pypdf's own per-stream caps, lowered from its 2,000,000 tokens / 75 MB defaults.
    max_stream_tokens: int = 200_000
    max_stream_bytes: int = 8 * 1024 * 1024
    max_form_invocations: int = 200
    max_text_chars: int = 100_000
    # DOCX (zip): checked from the zip directory before anything is decompressed.
    docx_max_uncompressed: int = 40 * 1024 * 1024
    docx_max_xml_part: int = 8 * 1024 * 1024
    docx_max_xml_total: int = 12 * 1024 * 1024  # python-docx parses every XML part it opens
    docx_max_ratio: int = 100
    docx_max_entries: int = 500


# Why a file was refused: codes the web layer turns into translated messages.
ENCRYPTED = "encrypted"
MALFORMED = "malformed"
NOT_A_CV_FILE = "not_a_cv_file"
TOO_MANY_PAGES = "too_many_pages"
TOO_MUCH_CONTENT = "too_much_content"
ARCHIVE_TOO_LARGE = "archive_too_large"
NESTED_ARCHIVE = "nested_archive"
TOO_SLOW = "too_slow"
TOO_BIG_IN_MEMORY = "too_big_in_memory"


class Refused(Exception):
    """The file was refused; `reason` is one of the codes above."""

    def __init__(self, reason: str, *, max_rss_kb: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.max_rss_kb = max_rss_kb  # the child's peak, when it could report it


# --------------------------------------------------------------------------- cheap checks


def looks_truncated_pdf(data: bytes) -> bool:
    """A PDF must end with %%EOF (a little trailing junk is common, a missing end is not)."""
    return b"%%EOF" not in data[-2048:]


def declares_encryption(data: bytes) -> bool:
    """The trailer (or cross-reference stream dictionary, never compressed) names /Encrypt."""
    return b"/Encrypt" in data


def check_docx_directory(data: bytes, limits: Limits) -> None:
    """Refuse from the zip directory alone: not a DOCX, too many entries, too large once
    unpacked, too compressed, or holding another archive; raises Refused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise Refused(NOT_A_CV_FILE) from exc
    names = {info.filename for info in infos}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise Refused(NOT_A_CV_FILE)
    total = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos) or 1
    xml_parts = [i for i in infos if i.filename.endswith((".xml", ".rels"))]
    if (
        len(infos) > limits.docx_max_entries
        or total > limits.docx_max_uncompressed
        or total / compressed > limits.docx_max_ratio
        or any(i.file_size / max(i.compress_size, 1) > limits.docx_max_ratio for i in infos)
        or any(i.file_size > limits.docx_max_xml_part for i in xml_parts)
        or sum(i.file_size for i in xml_parts) > limits.docx_max_xml_total
    ):
        raise Refused(ARCHIVE_TOO_LARGE)
    for info in infos:
        if info.filename.lower().endswith(NESTED_ARCHIVE_SUFFIXES):
            raise Refused(NESTED_ARCHIVE)
        # A renamed archive inside: four bytes are enough, and cheap to inflate.
        if info.file_size >= 4:
            try:
                with archive.open(info) as member:
                    if member.read(4) == ZIP_MAGIC:
                        raise Refused(NESTED_ARCHIVE)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
                raise Refused(MALFORMED) from exc


# --------------------------------------------------------------------------- in the child


def _pdf_text(data: bytes, limits: Limits) -> str:
    import pypdf
    from pypdf.errors import PyPdfError

    pypdf.overwrite_configuration(
        stream_parsing_work_maximum_count=limits.max_stream_tokens,
        zlib_maximum_output_length=limits.max_stream_bytes,
        lzw_maximum_output_length=limits.max_stream_bytes,
        run_length_maximum_output_length=limits.max_stream_bytes,
        array_based_stream_maximum_output_length=limits.max_stream_bytes,
        xform_maximum_invocations_per_extraction=limits.max_form_invocations,
    )
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise Refused(ENCRYPTED)
        if len(reader.pages) > limits.max_pages:
            raise Refused(TOO_MANY_PAGES)
        # Decompress every page's content first (cheap) and refuse before parsing any
        # operator: parsing, not inflating, is what costs seconds.
        pages = list(reader.pages)[: limits.pages_read]
        content = 0
        for page in pages:
            stream = page.get_contents()
            content += len(stream.get_data()) if stream is not None else 0
            if content > limits.max_content_bytes:
                raise Refused(TOO_MUCH_CONTENT)
        parts: list[str] = []
        length = 0
        for page in pages:
            part = page.extract_text() or ""
            parts.append(part)
            length += len(part)
            if length > limits.max_text_chars:
                break
    except Refused:
        raise
    except pypdf.errors.LimitReachedError as exc:
        raise Refused(TOO_MUCH_CONTENT) from exc
    except MemoryError as exc:
        raise Refused(TOO_BIG_IN_MEMORY) from exc
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OSError,
        RecursionError,
    ) as exc:
        raise Refused(TOO_BIG_IN_MEMORY if _out_of_memory(exc, limits) else MALFORMED) from exc
    return "\n".join(parts)[: limits.max_text_chars]


def _out_of_memory(exc: BaseException, limits: Limits) -> bool:
    # lxml reports a failed allocation under the address-space limit as a syntax error
    # ("unknown error"), so the peak address space tells the two apart.
    if isinstance(exc, MemoryError):
        return True
    return _proc_status_kb("VmPeak") >= 0.85 * limits.memory_mb * 1024


def _proc_status_kb(field: str) -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _docx_text(data: bytes, limits: Limits) -> str:
    check_docx_directory(data, limits)
    from docx import Document

    try:
        # python-docx parses with resolve_entities=False: no entity-expansion bombs.
        document = Document(io.BytesIO(data))
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.append(" | ".join(cell.text for cell in row.cells))
                if sum(len(line) for line in lines) > limits.max_text_chars:
                    break
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise Refused(TOO_BIG_IN_MEMORY if _out_of_memory(exc, limits) else MALFORMED) from exc
    return "\n".join(lines)[: limits.max_text_chars]


def extract_in_process(kind: str, data: bytes, limits: Limits) -> str:
    """Return the text of a PDF or DOCX without any OS limit (the child calls this)."""
    if kind == "pdf":
        return _pdf_text(data, limits)
    if kind == "docx":
        return _docx_text(data, limits)
    raise Refused(NOT_A_CV_FILE)


def _apply_os_limits(limits: Limits) -> None:
    import resource

    cpu = max(int(limits.cpu_seconds), 1)
    memory = int(limits.memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _peak_rss_kb() -> int:
    """This process's own peak resident memory (VmHWM: ru_maxrss would include the parent's
    peak at fork time, which survives exec on Linux)."""
    import resource

    return _proc_status_kb("VmHWM") or int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _child_main() -> int:

    kind = sys.argv[1]
    limits = Limits(**json.loads(sys.argv[2]))
    data = sys.stdin.buffer.read()
    _apply_os_limits(limits)
    try:
        answer: dict[str, Any] = {"ok": True, "text": extract_in_process(kind, data, limits)}
    except Refused as refused:
        answer = {"ok": False, "reason": refused.reason}
    answer["max_rss_kb"] = _peak_rss_kb()
    sys.stdout.write(json.dumps(answer))
    return 0


# --------------------------------------------------------------------------- in the parent


@dataclass(frozen=True, slots=True)
class Outcome:
    text: str
    cpu_seconds: float
    wall_seconds: float
    max_rss_kb: int


def extract_bounded(kind: str, data: bytes, limits: Limits) -> Outcome:
    """Extract the text in a child process under the OS limits; raises Refused."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    try:
        # -I: no environment variables, no user site, and not the script's folder on sys.path
        # (app/profiles/ holds modules whose names would shadow the standard library's).
        completed = subprocess.run(  # noqa: S603 (our own interpreter and script, no shell)
            [sys.executable, "-I", str(Path(__file__).resolve()), kind, json.dumps(asdict(limits))],
            input=data,
            capture_output=True,
            timeout=limits.wall_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise Refused(TOO_SLOW) from exc
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    wall = time.monotonic() - started
    if completed.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise Refused(TOO_SLOW)  # the CPU limit (soft, then hard) stopped it
    if completed.returncode != 0:
        # An allocation failed where Python could not turn it into an answer, or pypdf or
        # python-docx broke on the file in a way not caught above.
        out_of_memory = b"MemoryError" in completed.stderr[-4000:]
        raise Refused(TOO_BIG_IN_MEMORY if out_of_memory else MALFORMED)
    try:
        answer = json.loads(completed.stdout)
    except ValueError as exc:
        raise Refused(MALFORMED) from exc
    rss = int(answer.get("max_rss_kb") or 0)
    if not answer.get("ok"):
        raise Refused(str(answer.get("reason") or MALFORMED), max_rss_kb=rss)
    return Outcome(str(answer.get("text") or ""), cpu, wall, rss)


if __name__ == "__main__":
    raise SystemExit(_child_main())
