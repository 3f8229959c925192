"""Builds a reduced ICU data library for the Linux package: ``build.spec`` runs it.

QtCore on Linux links ICU, and the PySide6 wheel's ``libicudata.so.NN`` (32 MB) is the largest
file of the one-folder build. QtCore calls ICU for four things only (its imports: ``u_strTo*``,
``ucal_*``, ``ucol_*``, ``ucnv_*``):

- ``QLocale::toUpper/toLower``: the case data is compiled into libicuuc; no data items.
- ``QTimeZone`` display names: ``ucal_open`` and ``ucal_getTimeZoneDisplayName`` read the zone,
  metazone, calendar and numbering data, and the main locale tree. All of that is kept.
- ``QCollator``: the collation tree. Only the root order is kept; any locale falls back to it.
  The app sorts nothing with QCollator (the admin table sorts in SQL).
- ``QStringDecoder`` by a legacy code-page name: the converter tables. UTF-8, UTF-16, UTF-32,
  US-ASCII and ISO-8859-1 are built into Qt or are algorithmic in ICU and need no table;
  ``cnvalias.icu`` (the names) stays. The app never decodes a legacy code page.

Everything else in the data is for ICU APIs Qt never calls: break iteration and its
dictionaries, transliteration, spelled-out numbers, unit, currency, language and region
display names, StringPrep, spoof checks and character names. Dropping them leaves about a
quarter of the data. Month and day names come from Qt's own CLDR tables, not from ICU.

The data package is the bytes of the library's ``icudtNN_dat`` symbol; ICU's own tools edit
it (``icupkg``) and turn it back into an object file (``genccode``), and binutils' ``ld`` links
that into a library with the same SONAME and symbol. Needs ``icupkg`` and ``genccode``
(Debian/Ubuntu package ``icu-devtools``) and ``ld`` (``binutils``).

    python tools/shrink_icu_data.py PATH/TO/libicudata.so.73 OUTDIR
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

# Whole trees of items that no QtCore call reaches.
UNUSED_TREES = ("brkitr", "curr", "lang", "rbnf", "region", "translit", "unit")
# Code-page tables, StringPrep profiles, spoof-check data, Unicode character names.
UNUSED_SUFFIXES = (".cnv", ".spp", ".cfu")
UNUSED_ITEMS = frozenset({"unames.icu"})
# Of the collation tree, the root order (the Unicode default) stays.
KEPT_COLLATION = frozenset({"coll/root.res", "coll/ucadata.icu"})
# What Qt's calls open (or may, on the way): checked to be there after the removal.
REQUIRED = (
    "cnvalias.icu",
    "root.res",
    "en.res",
    "pool.res",
    "likelySubtags.res",
    "langInfo.res",
    "metadata.res",
    "keyTypeData.res",
    "supplementalData.res",
    "numberingSystems.res",
    "zoneinfo64.res",
    "metaZones.res",
    "timezoneTypes.res",
    "windowsZones.res",
    "zone/root.res",
    "zone/en.res",
    "zone/pool.res",
    "coll/root.res",
    "coll/ucadata.icu",
    "nfkc.nrm",
    "uts46.nrm",
)
TOOLS = {"icupkg": "icu-devtools", "genccode": "icu-devtools", "ld": "binutils"}
# Debian installs icupkg and genccode in /usr/sbin, which a user's PATH often lacks.
SBIN = os.pathsep.join(("/usr/local/sbin", "/usr/sbin"))
SHT_DYNSYM = 11


def is_unused(item: str) -> bool:
    """Whether a data item (``icupkg -l`` name, such as ``coll/de.res``) can go."""
    tree, _, _ = item.rpartition("/")
    if tree in UNUSED_TREES:
        return True
    if tree == "coll":
        return item not in KEPT_COLLATION
    return not tree and (item.endswith(UNUSED_SUFFIXES) or item in UNUSED_ITEMS)


def read_common_data(library: Path) -> tuple[str, bytes]:
    """The entry name (``icudt73``) and bytes of the data package an ICU data library holds."""
    elf = library.read_bytes()
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise ValueError(f"{library} is not a 64-bit little-endian ELF file")
    (shoff,) = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    # name, type, flags, addr, offset, size, link, info, addralign, entsize
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    for section in sections:
        if section[1] != SHT_DYNSYM:
            continue
        strings_offset = sections[section[6]][4]
        for at in range(section[4], section[4] + section[5], 24):
            name_at, _, _, index, value, size = struct.unpack_from("<IBBHQQ", elf, at)
            end = elf.index(b"\0", strings_offset + name_at)
            name = elf[strings_offset + name_at : end].decode("ascii")
            if re.fullmatch(r"icudt\d+_dat", name):
                holder = sections[index]
                start = holder[4] + value - holder[3]
                data = elf[start : start + size]
                if data[2:4] != b"\xda\x27":
                    raise ValueError(f"{name} in {library} is not an ICU data package")
                return name.removesuffix("_dat"), data
    raise ValueError(f"{library} exports no icudtNN_dat symbol")


def package_name(entry: str, data: bytes) -> str:
    """The package's name inside its table of contents: entry plus l, b or e (its byte order)."""
    big_endian, charset_family = data[8], data[9]
    return entry + ("e" if charset_family else "b" if big_endian else "l")


def find_tool(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path=SBIN)


def run(tool: str, *args: str | Path) -> str:
    """Runs a tool; its error output becomes the exception's message if it fails."""
    command = [find_tool(tool) or tool, *map(str, args)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{tool} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def shrink_icu_data(library: Path, workdir: Path) -> Path:
    """Writes the reduced copy of ``library`` (same file name and SONAME) into ``workdir``."""
    missing = sorted({package for tool, package in TOOLS.items() if not find_tool(tool)})
    if missing:
        raise SystemExit(
            "Building the Linux package needs ICU's icupkg and genccode and binutils' ld; "
            f"install them (Debian/Ubuntu: apt-get install {' '.join(missing)})."
        )
    if not re.fullmatch(r"libicudata\.so\.\d+", library.name):
        raise ValueError(f"{library.name} is not an ICU data library")
    entry, data = read_common_data(library)
    name = package_name(entry, data)
    full, reduced = workdir / "full" / f"{name}.dat", workdir / "reduced" / f"{name}.dat"
    for folder in (full.parent, reduced.parent):
        folder.mkdir(parents=True, exist_ok=True)
    full.write_bytes(data)
    items = run("icupkg", "-l", full).split()
    unused = workdir / "removed.txt"
    unused.write_text("".join(f"{item}\n" for item in items if is_unused(item)), encoding="ascii")
    reduced.unlink(missing_ok=True)
    run("icupkg", "-r", unused, full, reduced)
    kept = set(run("icupkg", "-l", reduced).split())
    absent = [item for item in REQUIRED if item not in kept]
    if absent:
        raise RuntimeError(f"the reduced ICU data lacks {', '.join(absent)}")
    # -m copies the CPU and word size from the wheel's library (genccode's default is i386).
    run("genccode", "-q", "-o", "-m", library, "-e", entry, "-f", name, "-d", workdir, reduced)
    output = workdir / library.name
    obj = workdir / f"{name}.o"
    run("ld", "-shared", "-soname", library.name, "-z", "noexecstack", "-o", output, obj)
    if read_common_data(output) != (entry, reduced.read_bytes()):
        raise RuntimeError(f"{output} does not hold the reduced data package")
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", type=Path, help="the wheel's libicudata.so.NN")
    parser.add_argument("outdir", type=Path)
    args = parser.parse_args(argv)
    output = shrink_icu_data(args.library, args.outdir)
    before, after = args.library.stat().st_size, output.stat().st_size
    print(f"{output}: {after / 1e6:.1f} MB (was {before / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
