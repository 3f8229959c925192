"""The release workflow builds as `make package` does, so what CI checks is what ships."""

from __future__ import annotations

from pathlib import Path

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
