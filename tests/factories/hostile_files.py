"""Real hostile CV files, built byte by byte: PDF operator and inflate bombs, zip bombs, nested
archives, renamed files. Used by tests/profiles/test_cv_limits.py and scripts/bench_cv_limits.py."""

from __future__ import annotations

import io
import zipfile
import zlib


def pdf_from_streams(
    page_streams: list[bytes], *, forms: dict[str, bytes] | None = None, compress: bool = True
) -> bytes:
    """A minimal valid PDF: one page per content stream (raw operators), Helvetica as /F1, and
    optional form XObjects (name -> raw operators) every page can paint with `/name Do`."""
    forms = forms or {}
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(raw: bytes, extra: bytes = b"") -> bytes:
        data = zlib.compress(raw, 9) if compress else raw
        flt = b" /Filter /FlateDecode" if compress else b""
        return b"<< /Length %d%s%s >>\nstream\n" % (len(data), flt, extra) + data + b"\nendstream"

    catalog = add(b"")
    pages = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    form_refs = b""
    for name, raw in forms.items():
        ref = add(
            stream(
                raw,
                b" /Type /XObject /Subtype /Form /BBox [0 0 612 792]"
                b" /Resources << /Font << /F1 %d 0 R >> >>" % font,
            )
        )
        form_refs += b"/%s %d 0 R " % (name.encode(), ref)
    kids = []
    for raw in page_streams:
        content = add(stream(raw))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources << /Font << "
                b"/F1 %d 0 R >> /XObject << %s>> >> /Contents %d 0 R >>"
                % (pages, font, form_refs, content)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages
    objects[pages - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, xref)
    )
    return out.getvalue()


def text_operator_bomb(operators: int = 1_000_000, pages: int = 1) -> bytes:
    """The file of issue 16: a few KB of deflated `(x) Tj` operators (13-16 s of CPU before)."""
    raw = b"BT /F1 1 Tf " + b"(x) Tj " * operators + b"ET"
    return pdf_from_streams([raw] * pages)


def text_operators_under_caps(total_bytes: int, pages: int, operator: bytes = b"(x) Tj ") -> bytes:
    """Separate streams per page filled with one operator, `total_bytes` of content in all."""
    per_page = max(total_bytes // pages - 20, 0) // len(operator)
    return pdf_from_streams([b"BT /F1 1 Tf " + operator * per_page + b"ET" for _ in range(pages)])


def form_xobject_bomb(invocations: int = 200, operators: int = 90_000) -> bytes:
    """A tiny page that paints the same text-heavy form over and over: the content caps see a
    few hundred bytes, the parsing work is invocations x operators (stopped by the CPU limit)."""
    form = b"BT /F1 1 Tf " + b"(x) Tj " * operators + b"ET"
    return pdf_from_streams([b"/X0 Do " * invocations], forms={"X0": form})


def inflate_bomb(megabytes: int = 200) -> bytes:
    """One content stream that inflates to `megabytes` of zeros-like operators."""
    return pdf_from_streams([b" " * (megabytes * 1024 * 1024)])


def many_pages(pages: int = 5000) -> bytes:
    return pdf_from_streams([b"BT /F1 12 Tf 50 700 Td (page) Tj ET"] * pages)


def truncated_pdf(valid: bytes) -> bytes:
    return valid[: len(valid) * 2 // 3]


def malformed_pdf() -> bytes:
    """Right header and end marker, nothing readable in between."""
    return (
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n"
        b"trailer << /Root 7 0 R >>\n%%EOF\n"
    )


def encrypted_pdf(valid: bytes) -> bytes:
    """The same PDF re-written by pypdf with a user password (RC4-128: pypdf needs the
    cryptography package for AES, which we do not install)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(valid)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip(entries: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX_SKELETON = {
    "[Content_Types].xml": b"<?xml version='1.0'?><Types/>",
    "word/document.xml": b"<?xml version='1.0'?><document/>",
}


def docx_high_ratio(megabytes: int = 30) -> bytes:
    """document.xml of zeros: a few KB on disk, `megabytes` unpacked (ratio about 1000)."""
    return _zip({**DOCX_SKELETON, "word/document.xml": b"\x00" * (megabytes * 1024 * 1024)})


def docx_huge_declared_size() -> bytes:
    """A zip directory that declares a 4 GB document.xml (the header lies; nothing is that big)."""
    data = bytearray(_zip(DOCX_SKELETON, method=zipfile.ZIP_STORED))
    name = b"word/document.xml"
    # Patch the uncompressed size (offset 24) of every central-directory entry for document.xml.
    index = 0
    while (index := data.find(b"PK\x01\x02", index)) != -1:
        name_length = int.from_bytes(data[index + 28 : index + 30], "little")
        if data[index + 46 : index + 46 + name_length] == name:
            data[index + 24 : index + 28] = (0xFFFFFFF0).to_bytes(4, "little")
        index += 4
    return bytes(data)


def docx_too_many_entries(entries: int = 2000) -> bytes:
    return _zip({**DOCX_SKELETON, **{f"word/media/x{i}.bin": b"x" for i in range(entries)}})


def docx_nested_zip(*, renamed: bool = False) -> bytes:
    inner = docx_high_ratio(1)
    name = "word/media/image1.png" if renamed else "word/embeddings/package.zip"
    return _zip({**DOCX_SKELETON, name: inner}, method=zipfile.ZIP_STORED)


def real_docx(lines: list[str]) -> bytes:
    from docx import Document

    document = Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_large_text(paragraphs: int, words: int = 12) -> bytes:
    """A real DOCX whose body has many paragraphs of varied words (compresses like real prose);
    document.xml is written directly, python-docx would take minutes to add them one by one."""
    import random

    rng = random.Random(16)
    vocabulary = [
        f"{w}{rng.randint(0, 999)}" for w in ("nurse", "data", "kigali", "projet", "soins")
    ]
    body = b"".join(
        b"<w:p><w:r><w:t>%s</w:t></w:r></w:p>"
        % " ".join(rng.choice(vocabulary) for _ in range(words)).encode()
        for _ in range(paragraphs)
    )
    source = zipfile.ZipFile(io.BytesIO(real_docx(["x"])))
    entries = {info.filename: source.read(info) for info in source.infolist()}
    document = entries["word/document.xml"]
    start = document.index(b"<w:body>") + len(b"<w:body>")
    entries["word/document.xml"] = document[:start] + body + document[start:]
    return _zip(entries)


HTML_PAGE = b"<!doctype html><html><body><script>alert(1)</script>CV</body></html>"
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
