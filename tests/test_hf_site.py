"""A site whose fences run a model: the committed cache lets it build without torch/transformers."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import mkdocs_build, requires_hf, write_site
from tests.tiny_models import make_bert, make_gpt2

pytestmark = requires_hf

CONFIG = "site_name: Models\nplugins:\n  - attention\n"
PAGE = """\
# Real models

```attention
model: ./models/tiny-bert
text: The quick brown fox jumps over the lazy dog.
hide_special: true
```

```attention
model: ./models/tiny-gpt2
text: The lazy dog sat on the mat.
layer: 1
```
"""


def block_imports(folder: Path) -> dict[str, str]:
    """PYTHONPATH with stand-ins that make ``import torch``/``transformers`` fail, as if not installed."""
    for name in ("torch", "transformers"):
        (folder / name).mkdir(parents=True, exist_ok=True)
        (folder / name / "__init__.py").write_text(f"raise ImportError('{name} is not installed here')\n")
    return {"PYTHONPATH": str(folder)}


def figures(site: Path) -> list[str]:
    return re.findall(
        r'<figure class="attn".*?</figure>', (site / "index.html").read_text(encoding="utf-8"), re.S
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hf-site")
    make_bert(root / "models" / "tiny-bert")
    make_gpt2(root / "models" / "tiny-gpt2")
    write_site(root, {"index.md": PAGE}, CONFIG)
    return root


def test_cold_build_fills_the_cache_and_warm_build_needs_no_torch(project: Path) -> None:
    cold = mkdocs_build(project / "mkdocs.yml", project / "site-cold")
    assert cold.returncode == 0, cold.stderr
    entries = sorted((project / ".attention-cache").glob("*.json"))
    assert len(entries) == 2
    assert "Special tokens hidden" in figures(project / "site-cold")[0]
    warm = mkdocs_build(project / "mkdocs.yml", project / "site-warm", env=block_imports(project / "blocked"))
    assert warm.returncode == 0, warm.stderr
    assert figures(project / "site-warm") == figures(project / "site-cold")
    assert sorted((project / ".attention-cache").glob("*.json")) == entries


def test_without_cache_and_without_the_extra_the_error_says_what_to_install(project: Path) -> None:
    shutil.rmtree(project / ".attention-cache", ignore_errors=True)
    result = mkdocs_build(
        project / "mkdocs.yml", project / "site-none", env=block_imports(project / "blocked")
    )
    assert result.returncode != 0
    assert (
        "docs/index.md:3: attention: model './models/tiny-bert' needs torch and transformers, and the "
        "build cache holds no result for this fence; install the extra with: "
        "pip install 'mkdocs-attention[hf]'"
    ) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_changed_fence_misses_the_cache(project: Path) -> None:
    assert mkdocs_build(project / "mkdocs.yml", project / "site-1").returncode == 0
    page = project / "docs" / "index.md"
    page.write_text(PAGE.replace("layer: 1", "layer: 0"), encoding="utf-8")
    try:
        blocked = mkdocs_build(
            project / "mkdocs.yml", project / "site-2", env=block_imports(project / "blocked")
        )
        assert (
            blocked.returncode != 0
            and "docs/index.md:9: attention: model './models/tiny-gpt2' needs" in blocked.stderr
        )
    finally:
        page.write_text(PAGE, encoding="utf-8")
