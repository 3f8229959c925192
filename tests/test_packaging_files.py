"""The release workflow builds as `make package` does, so what CI checks is what ships."""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_the_release_workflow_and_make_package_use_the_same_spec_and_smoke_test() -> None:
    workflow = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for text in (workflow, makefile):
        assert "pyinstaller --noconfirm --clean build.spec" in text
    assert "tools/package_smoke.sh" in workflow and "tools/package_smoke.sh" in makefile
    assert "--self-test" in workflow
    for os_name in ("windows-latest", "macos-latest"):
        assert os_name in workflow


def test_the_spec_bundles_the_resources_and_the_icons_exist() -> None:
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert '"resources"' in spec and "console=False" in spec
    for icon in ("icon.ico", "icon.png", "icon.icns"):
        assert (ROOT / "resources" / icon).is_file()


def test_the_linux_builds_install_the_tools_that_shrink_the_icu_data() -> None:
    workflow = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert "icu-devtools" in workflow and "icu-devtools" in ci
    assert "shrink_icu_data" in spec


def test_the_release_workflow_parses_and_builds_each_system_as_ci_does() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["tags"] == ["v*"]
    job = workflow["jobs"]["build"]
    assert set(job["strategy"]["matrix"]["os"]) == {
        "windows-latest",
        "macos-latest",
        "ubuntu-latest",
    }
    steps = {step.get("name", step.get("uses")): step for step in job["steps"]}
    assert all("run" in step or "uses" in step for step in steps.values())
    assert steps["Build (one folder and one file)"]["run"].strip() == (
        "pyinstaller --noconfirm --clean build.spec"
    )
    smoke = steps["Smoke-test the builds"]["run"]
    assert "bash tools/package_smoke.sh dist" in smoke
    assert "TimeSyncer.app/Contents/MacOS/TimeSyncer --self-test" in smoke
    [linux] = [s for s in job["steps"] if s.get("if") == "runner.os == 'Linux'"]
    installed = set(shlex.split(linux["run"].replace("\\\n", " ").split("install -y -qq", 1)[1]))
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    wanted = set(ci.split("packages=(", 1)[1].split(")", 1)[0].split())
    # fonts and make are for the test suite; the build needs the rest.
    assert wanted - {"fonts-dejavu-core", "make"} <= installed
