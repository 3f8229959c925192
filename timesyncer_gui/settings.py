"""One typed Settings object, read once at start from the environment and ``.env`` files.

Precedence, highest first: the process environment, ``.env`` in the working folder, ``.env``
in the data folder. A bad value raises SettingsError naming the key, the value and what is
expected, so start-up can stop with that sentence instead of a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .domain.hours import OpeningHours
from .domain.schedule import Schedule
from .mail.config import MailSettings, read_mail_settings, read_reminder_leads
from .paths import DB_FILENAME, default_data_dir, default_log_dir, portable_data_dir

DEFAULT_OPENING_HOURS = "mon-fri 09:00-17:00"
DEFAULT_SLOT_MINUTES = 30
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class SettingsError(ValueError):
    """A setting has a value the app cannot use; ``message`` says which and what is expected."""

    def __init__(
        self, key: str, value: str, expected: str, source: str = "", *, message: str = ""
    ) -> None:
        where = f" (set in {source})" if source else ""
        self.key, self.value, self.expected = key, value, expected
        stated = f"is '{value}'{where}" if value else f"is not set{where}"
        self.message = message or f"{key} {stated}, but it must be {expected}."
        super().__init__(self.message)


# Every name TimeSyncer reads. Any unknown TIMESYNCER_ name, or in the data folder's .env a
# name close to one of these, is taken for a typo: start-up stops and says so, rather than
# quietly using the default the person meant to change.
KNOWN_KEYS = (
    "TIMESYNCER_DATA_DIR",
    "TIMESYNCER_DB_URL",
    "TIMESYNCER_TIMEZONE",
    "TIMESYNCER_OPENING_HOURS",
    "TIMESYNCER_SLOT_MINUTES",
    "TIMESYNCER_LOG_LEVEL",
    "TIMESYNCER_REMINDER_LEADS",
    "EMAIL_USER",
    "EMAIL_PASS",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_SECURITY",
    "SMTP_TIMEOUT",
    "SMTP_FROM",
)


# Names other mail tools use for what TimeSyncer calls otherwise, too far apart for a
# spelling match: in TimeSyncer's own .env they are taken for the setting meant.
_MEANT = {
    "SMTP_USER": "EMAIL_USER",
    "SMTP_USERNAME": "EMAIL_USER",
    "EMAIL_USERNAME": "EMAIL_USER",
    "SMTP_PASS": "EMAIL_PASS",
    "SMTP_PASSWORD": "EMAIL_PASS",
    "EMAIL_PASSWORD": "EMAIL_PASS",
    "EMAIL_HOST": "SMTP_HOST",
    "EMAIL_PORT": "SMTP_PORT",
    "EMAIL_FROM": "SMTP_FROM",
}


def _unprefixed(name: str) -> str | None:
    """``TIMESYNCER_SLOT_MINUTES`` for ``SLOT_MINUTES``."""
    prefixed = f"TIMESYNCER_{name}"
    return prefixed if prefixed in KNOWN_KEYS else None


def _check_names(names: Iterable[str], source: str, *, ours: bool) -> None:
    """Refuse a misspelt setting name (see KNOWN_KEYS). Only TIMESYNCER_ names are checked,
    except in ``ours`` (the data folder's .env, which only TimeSyncer reads): the environment
    and a working folder's .env also hold other programs' names, such as EMAIL_HOST_USER."""
    for name in names:
        if name in KNOWN_KEYS:
            continue
        prefixed = name.upper().startswith("TIMESYNCER_")
        if not (prefixed or ours):
            continue
        import difflib  # only for a name not known

        meant = _MEANT.get(name.upper()) or _unprefixed(name.upper())
        close = [meant] if meant else []
        close = close or difflib.get_close_matches(name.upper(), KNOWN_KEYS, n=1, cutoff=0.8)
        if not (prefixed or close):
            continue
        hint = f" Did you mean {close[0]}?" if close else " The README lists the settings."
        raise SettingsError(
            name,
            "",
            "",
            source,
            message=f"{name} (set in {source}) is not a TimeSyncer setting.{hint}",
        )


class Settings(NamedTuple):
    """Everything configurable about a desk, typed and validated."""

    data_dir: Path
    log_dir: Path
    db_url: str
    timezone: ZoneInfo
    opening_hours: OpeningHours
    slot_minutes: int = DEFAULT_SLOT_MINUTES
    log_level: str = "INFO"
    mail: MailSettings = MailSettings()
    reminder_leads: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(hours=1))

    @property
    def schedule(self) -> Schedule:
        return Schedule(self.timezone, self.opening_hours, self.slot_minutes)

    @classmethod
    def load(
        cls,
        data_dir: str | Path | None = None,
        environ: Mapping[str, str] | None = None,
        cwd: str | Path | None = None,
    ) -> Settings:
        """Read settings; ``data_dir`` (``--data-dir``) beats ``TIMESYNCER_DATA_DIR``."""
        env = dict(os.environ if environ is None else environ)
        here = Path(cwd) if cwd is not None else Path.cwd()
        local = _read_env_file(here / ".env")
        explicit = (
            data_dir
            or env.get("TIMESYNCER_DATA_DIR")
            or local.get("TIMESYNCER_DATA_DIR")
            or portable_data_dir()
        )
        folder = (here / Path(explicit).expanduser()) if explicit else default_data_dir()
        stored = _read_env_file(folder / ".env")
        _check_names(env, "the environment", ours=False)
        _check_names(local, str(here / ".env"), ours=False)
        _check_names(stored, str(folder / ".env"), ours=True)
        values = _Values(env, local, stored, here / ".env", folder / ".env")
        slot_minutes = _slot_minutes(values)
        return cls(
            data_dir=folder,
            log_dir=folder / "logs" if explicit else default_log_dir(),
            db_url=_db_url(values, folder),
            timezone=_timezone(values),
            opening_hours=_opening_hours(values, slot_minutes),
            slot_minutes=slot_minutes,
            log_level=_log_level(values),
            mail=read_mail_settings(values.get, SettingsError),
            reminder_leads=read_reminder_leads(values.get, SettingsError),
        )


class _Values:
    """Looks a key up by precedence and remembers where each value came from."""

    def __init__(
        self,
        env: Mapping[str, str],
        local: Mapping[str, str | None],
        stored: Mapping[str, str | None],
        local_path: Path,
        stored_path: Path,
    ) -> None:
        self._layers = (
            (env, "the environment"),
            (local, str(local_path)),
            (stored, str(stored_path)),
        )

    def get(self, key: str) -> tuple[str | None, str]:
        for layer, source in self._layers:
            value = layer.get(key)
            if value is not None and value.strip() != "":
                return value.strip(), source
        return None, ""


def _read_env_file(path: Path) -> dict[str, str | None]:
    if not path.is_file():
        return {}
    import io

    from dotenv import dotenv_values  # only when a .env file exists
    from dotenv.parser import parse_stream

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(".env", str(path), f"a readable UTF-8 text file ({exc})") from exc
    # python-dotenv skips a line it cannot read, with a warning that names no file; such a
    # line is a setting the person meant, so start-up stops and names the file and the line.
    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            raise SettingsError(
                ".env",
                str(path),
                "",
                message=(
                    f"Line {binding.original.line} of {path} is not a setting: "
                    "write it as NAME=value."
                ),
            )
    return dict(dotenv_values(stream=io.StringIO(text)))


def _db_url(values: _Values, folder: Path) -> str:
    from .storage import sqlite_path

    url, source = values.get("TIMESYNCER_DB_URL")
    if url is None:
        return f"sqlite:///{(folder / DB_FILENAME).resolve()}"
    try:
        sqlite_path(url)
    except ValueError:
        raise SettingsError(
            "TIMESYNCER_DB_URL", url, "a SQLite URL such as sqlite:///C:/Desk/timesyncer.db", source
        ) from None
    return url


def _timezone(values: _Values) -> ZoneInfo:
    name, source = values.get("TIMESYNCER_TIMEZONE")
    if name is None:
        return _system_timezone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        close = _zone_like(name)
        raise SettingsError(
            "TIMESYNCER_TIMEZONE",
            name,
            "an IANA time zone name such as Europe/London or America/New_York"
            + (f" (did you mean {close}?)" if close else ""),
            source,
        ) from None


def _zone_like(name: str) -> str | None:
    """The zone a mistyped name most likely meant ("europe/london", "Europe/Londn", or the
    city alone, "Dublin" or "new york"); None when nothing is clearly meant."""
    import difflib  # only for a zone not known
    import re
    from zoneinfo import available_timezones

    if re.fullmatch(r"(?i)(gmt|utc)\s*[+-]\s*\d.*", name):
        return None  # an offset, not a place: the nearest name ("GMT+0") would be wrong
    zones = available_timezones()
    by_case = {zone.casefold(): zone for zone in zones}
    if name.casefold() in by_case:
        return by_case[name.casefold()]
    city = name.strip().replace(" ", "_").casefold()
    by_city = [z for z in zones if "/" in z and z.rpartition("/")[2].casefold() == city]
    if len(by_city) == 1:
        return by_city[0]
    close = difflib.get_close_matches(name, zones, n=1, cutoff=0.8)
    return close[0] if close else None


def _system_timezone() -> ZoneInfo:
    """The computer's own zone by its IANA name; UTC when it cannot be told.

    Most Linux and macOS computers name it by linking /etc/localtime into the zone database,
    which is read here at once. Anything else is asked of tzlocal, whose import and checks
    took 17 ms of start-up on a computer that had such a link.
    """
    linked = linked_zone_name(Path("/etc/localtime")) if "TZ" not in os.environ else None
    if linked:
        try:
            return ZoneInfo(linked)
        except (ZoneInfoNotFoundError, ValueError):
            pass  # a link into a database Python's zoneinfo does not know: ask tzlocal
    try:
        import tzlocal

        name = tzlocal.get_localzone_name()
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except Exception:  # an unusual system setup must not stop the desk from starting
        return ZoneInfo("UTC")


def linked_zone_name(link: Path) -> str | None:
    """``Europe/London`` when ``link`` points at .../zoneinfo/Europe/London; else None."""
    try:
        target = os.readlink(link)
    except (OSError, NotImplementedError):
        return None
    _, marker, name = target.rpartition("zoneinfo/")
    for variant in ("posix/", "right/"):  # the same zones, under another folder
        name = name.removeprefix(variant)
    return name if marker and name else None


def _opening_hours(values: _Values, slot_minutes: int) -> OpeningHours:
    """The hours as written; each range must hold a slot, or the desk would never open then."""
    text, source = values.get("TIMESYNCER_OPENING_HOURS")
    try:
        hours = OpeningHours.parse(text or DEFAULT_OPENING_HOURS)
    except ValueError as exc:
        raise SettingsError(
            "TIMESYNCER_OPENING_HOURS",
            text or "",
            f"days and times like 'mon-fri 09:00-17:00; sat 10:00-13:00' ({exc})",
            source,
        ) from None
    ranges = (r for day in hours.days for r in day)
    short = next((r for r in ranges if r.closes_minute - r.opens_minute < slot_minutes), None)
    if short is not None:
        raise SettingsError(
            "TIMESYNCER_OPENING_HOURS",
            text or "",
            f"ranges long enough for one {slot_minutes}-minute slot"
            f" ({short.label()} holds none; TIMESYNCER_SLOT_MINUTES sets the slot)",
            source,
        )
    return hours


def _slot_minutes(values: _Values) -> int:
    text, source = values.get("TIMESYNCER_SLOT_MINUTES")
    if text is None:
        return DEFAULT_SLOT_MINUTES
    if not text.isdigit() or not 5 <= int(text) <= 480:
        raise SettingsError(
            "TIMESYNCER_SLOT_MINUTES", text, "a whole number of minutes from 5 to 480", source
        )
    return int(text)


def _log_level(values: _Values) -> str:
    text, source = values.get("TIMESYNCER_LOG_LEVEL")
    if text is None:
        return "INFO"
    if text.upper() not in LOG_LEVELS:
        raise SettingsError("TIMESYNCER_LOG_LEVEL", text, "one of " + ", ".join(LOG_LEVELS), source)
    return text.upper()
