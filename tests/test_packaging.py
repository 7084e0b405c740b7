"""An installed wheel carries what a checkout has beside the code: templates, data, migrations;
and pyproject.toml declares every package the code imports."""
import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from factcheck import config

ROOT = Path(__file__).resolve().parents[1]


def test_a_checkout_finds_the_top_level_templates():
    assert config.templates_path() == ROOT / "templates"
    assert (config.templates_path() / "base.html").is_file()


def test_an_installed_package_finds_its_packed_templates(tmp_path, monkeypatch):
    (tmp_path / "templates").mkdir()
    monkeypatch.setattr(config, "PACKAGE_DIR", tmp_path)
    assert config.templates_path() == tmp_path / "templates"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                           capture_output=True, text=True)
    if built.returncode:
        pytest.skip(f"could not build a wheel here: {built.stderr.strip()[-200:]}")
    return next(out.glob("factcheck-*.whl"))


def test_the_wheel_packs_templates_data_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "factcheck/templates/base.html",
        "factcheck/rating_scales.json",
        "factcheck/samples/statements.jsonl",
        "factcheck/store/migrations/env.py",
        "factcheck/store/migrations/script.py.mako",
        "factcheck/store/migrations/versions/0001_initial_schema.py",
        "factcheck/static/style.css",
        "factcheck/pipeline/checkworthy_model.json",
        "factcheck/pipeline/checkworthy_model.bin",
    }
    assert expected <= names
    assert any(n.startswith("factcheck/pipeline/lexicons/") and n.endswith(".txt") for n in names)


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_imported_package_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    declared = {_normalized(re.match(r"[\w.-]+", r).group()) for r in requirements}
    distributions = importlib.metadata.packages_distributions()
    undeclared = set()
    for folder in ("factcheck", "tests", "benchmarks"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and not node.level:
                    modules = [node.module]
                else:
                    continue
                for top in {m.split(".")[0] for m in modules}:
                    if top in sys.stdlib_module_names or top in ("factcheck", "tests") or (ROOT / folder / f"{top}.py").exists():
                        continue
                    # an extra's package that is not installed here is known by its import name
                    names = {_normalized(d) for d in distributions.get(top, [top])}
                    if not names & declared:
                        undeclared.add(f"{top} ({path.relative_to(ROOT)})")
    assert not undeclared, sorted(undeclared)
