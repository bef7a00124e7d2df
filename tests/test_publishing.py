"""Publishing as the docs tell authors to: the GitHub Actions workflow of docs/publishing.md
(parsed from the page, its build step run on the example course) and ``mkdocs gh-deploy``
into a local bare repository. The built site in a browser: tests/browser/test_publishing.py."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import EXAMPLE_SITE, ROOT

DOC = ROOT / "docs" / "publishing.md"


def workflow() -> dict:
    """The first ```yaml block of docs/publishing.md, parsed."""
    block = re.search(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block, "docs/publishing.md has no workflow"
    return yaml.safe_load(block.group(1))


def test_workflow_builds_strict_and_deploys_to_pages(tmp_path: Path) -> None:
    wf = workflow()
    assert wf[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as True
    assert wf["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = wf["jobs"]["build"]["steps"], wf["jobs"]["deploy"]
    uses = [s.get("uses", "").split("@")[0] for s in build]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    runs = [s["run"] for s in build if "run" in s]
    assert any("mkdocs-attention" in r.split() for r in runs if r.startswith("pip install"))
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    # Run the build step, as written, in a course laid out like a repository: the uploaded
    # folder must be the built site (mkdocs.yml at the top, site/ next to it).
    course = tmp_path / "course"
    shutil.copytree(EXAMPLE_SITE, course, ignore=shutil.ignore_patterns("site", "models"))
    (step,) = [r for r in runs if r.startswith("mkdocs ")]
    args = shlex.split(step)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", *args], cwd=course, capture_output=True, text=True, timeout=300, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "--strict" in args
    site = course / upload["with"]["path"]
    for name in ("index.html", "404.html", "self-attention/index.html", "assets/mkdocs-attention/attn.js"):
        assert (site / name).is_file(), name


def test_gh_deploy_publishes_the_example_site(tmp_path: Path) -> None:
    """``mkdocs gh-deploy`` from a clone of the course pushes a complete site to gh-pages."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "HOME": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
        "NO_MKDOCS_2_WARNING": "1",
    }
    remote, clone = tmp_path / "remote.git", tmp_path / "clone"

    def run(*args: str, cwd: Path = clone) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=True)

    run(git, "init", "-q", "--bare", str(remote), cwd=tmp_path)
    shutil.copytree(EXAMPLE_SITE, clone / "example_site", ignore=shutil.ignore_patterns("site", "models"))
    run(git, "init", "-q", "-b", "main")
    run(git, "remote", "add", "origin", str(remote))
    run(git, "add", ".")
    run(git, "commit", "-q", "-m", "course")
    result = run(sys.executable, "-m", "mkdocs", "gh-deploy", "-f", "example_site/mkdocs.yml", "--force")
    assert "gh-pages -> gh-pages" in result.stderr
    files = run(git, "ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).stdout.split()
    for name in (
        ".nojekyll",
        "index.html",
        "404.html",
        "self-attention/index.html",
        "sitemap.xml",
        "assets/mkdocs-attention/attn.js",
        "assets/mkdocs-attention/attn.css",
    ):
        assert name in files
    shipped = run(git, "show", "gh-pages:assets/mkdocs-attention/attn.js", cwd=remote).stdout
    assert shipped == (ROOT / "mkdocs_attention" / "assets" / "attn.js").read_text(encoding="utf-8")
