"""Settings: where values come from, and the sentence a bad value produces."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from timesyncer_gui.settings import KNOWN_KEYS, Settings, SettingsError, linked_zone_name
from timesyncer_gui.storage import sqlite_path

ROOT = Path(__file__).resolve().parent.parent


def load(tmp_path: Path, **environ: str) -> Settings:
    return Settings.load(data_dir=tmp_path / "data", environ=environ, cwd=tmp_path)


def test_defaults_keep_every_file_under_an_explicit_data_dir(tmp_path: Path) -> None:
    settings = load(tmp_path)
    assert settings.data_dir == tmp_path / "data"
    assert settings.log_dir == tmp_path / "data" / "logs"
    assert sqlite_path(settings.db_url) == (tmp_path / "data" / "timesyncer.db").resolve()
    assert settings.slot_minutes == 30
    assert settings.opening_hours.spec() == "mon-fri 09:00-17:00"
    assert settings.log_level == "INFO"
    assert isinstance(settings.timezone, ZoneInfo)


def test_without_a_data_dir_the_per_user_folders_are_used(tmp_path: Path) -> None:
    settings = Settings.load(environ={"XDG_DATA_HOME": str(tmp_path)}, cwd=tmp_path)
    assert settings.data_dir.name == "TimeSyncer"
    assert settings.log_dir.name in ("log", "logs", "Logs")


def test_data_dir_from_the_environment(tmp_path: Path) -> None:
    settings = Settings.load(environ={"TIMESYNCER_DATA_DIR": str(tmp_path / "desk")}, cwd=tmp_path)
    assert settings.data_dir == tmp_path / "desk"
    assert settings.log_dir == tmp_path / "desk" / "logs"


def test_environment_beats_working_dir_env_file_which_beats_data_dir_env_file(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / ".env").write_text(
        "TIMESYNCER_SLOT_MINUTES=15\nTIMESYNCER_TIMEZONE=Asia/Tokyo\nTIMESYNCER_LOG_LEVEL=debug\n"
    )
    (tmp_path / ".env").write_text("TIMESYNCER_SLOT_MINUTES=20\nTIMESYNCER_TIMEZONE=Europe/Paris\n")
    settings = load(tmp_path, TIMESYNCER_SLOT_MINUTES="45")
    assert settings.slot_minutes == 45
    assert settings.timezone == ZoneInfo("Europe/Paris")
    assert settings.log_level == "DEBUG"


def test_opening_hours_and_zone_make_the_schedule(tmp_path: Path) -> None:
    settings = load(
        tmp_path,
        TIMESYNCER_TIMEZONE="America/New_York",
        TIMESYNCER_OPENING_HOURS="mon-fri 09:00-17:00; sat 10:00-13:00",
        TIMESYNCER_SLOT_MINUTES="60",
    )
    schedule = settings.schedule
    assert schedule.timezone == ZoneInfo("America/New_York")
    assert schedule.slot_minutes == 60
    assert schedule.hours.spec() == "mon-fri 09:00-17:00; sat 10:00-13:00"


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("TIMESYNCER_SLOT_MINUTES", "abc", "a whole number of minutes from 5 to 480"),
        ("TIMESYNCER_SLOT_MINUTES", "0", "a whole number of minutes from 5 to 480"),
        ("TIMESYNCER_SLOT_MINUTES", "1000", "a whole number of minutes from 5 to 480"),
        ("TIMESYNCER_TIMEZONE", "Mars/Olympus_Mons", "an IANA time zone name"),
        ("TIMESYNCER_OPENING_HOURS", "weekdays 9-5", "days and times like"),
        ("TIMESYNCER_OPENING_HOURS", "mon-fri 17:00-09:00", "closes before it opens"),
        (
            "TIMESYNCER_OPENING_HOURS",
            "mon-fri 09:00-09:10",
            "ranges long enough for one 30-minute slot (09:00–09:10 holds none;",
        ),
        ("TIMESYNCER_LOG_LEVEL", "LOUD", "one of DEBUG, INFO, WARNING, ERROR"),
        ("TIMESYNCER_DB_URL", "mysql://desk/bookings", "a SQLite URL"),
        ("TIMESYNCER_REMINDER_LEADS", "tomorrow", "lengths of time before a session"),
        ("TIMESYNCER_REMINDER_LEADS", "0h", "lengths of time before a session"),
        ("SMTP_SECURITY", "tls", "starttls, ssl or none"),
        ("SMTP_PORT", "99999", "a port number from 1 to 65535"),
        ("SMTP_TIMEOUT", "forever", "a number of seconds from 1 to 300"),
        ("SMTP_FROM", "the front desk", "an email address"),
    ],
)
def test_a_bad_value_names_the_key_the_value_and_what_is_expected(
    tmp_path: Path, key: str, value: str, expected: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        load(tmp_path, **{key: value})
    message = caught.value.message
    assert message.startswith(f"{key} is '{value}' (set in the environment), but it must be ")
    assert expected in message
    assert caught.value.key == key


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("europe/london", "Europe/London"),
        ("Europe/Londn", "Europe/London"),
        ("EUROPE/LONDON", "Europe/London"),
        ("Dublin", "Europe/Dublin"),  # the city alone
        ("new york", "America/New_York"),
    ],
)
def test_a_mistyped_time_zone_is_answered_with_the_one_meant(
    tmp_path: Path, typed: str, meant: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        load(tmp_path, TIMESYNCER_TIMEZONE=typed)
    assert caught.value.message.endswith(f"(did you mean {meant}?).")


@pytest.mark.parametrize("typed", ["GMT+1", "UTC+02:00", "utc-5"])
def test_an_offset_for_a_time_zone_gets_no_wrong_guess(tmp_path: Path, typed: str) -> None:
    """The nearest name to "GMT+1" is "GMT+0", which is not what was meant."""
    with pytest.raises(SettingsError) as caught:
        load(tmp_path, TIMESYNCER_TIMEZONE=typed)
    assert "did you mean" not in caught.value.message
    assert "such as Europe/London or America/New_York" in caught.value.message


def test_a_bad_value_in_an_env_file_names_that_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TIMESYNCER_SLOT_MINUTES=ten\n")
    with pytest.raises(SettingsError, match=re.escape(f"(set in {tmp_path / '.env'})")):
        load(tmp_path)


def test_an_unreadable_env_file_is_reported_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"TIMESYNCER_SLOT_MINUTES=\xff\xfe30\n")
    with pytest.raises(SettingsError, match="a readable UTF-8 text file"):
        load(tmp_path)


def test_every_setting_is_documented_in_the_readme_and_env_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    source = "".join(
        (ROOT / "timesyncer_gui" / name).read_text(encoding="utf-8")
        for name in ("settings.py", "mail/config.py")
    )
    # The names the code reads (looked up as get("NAME")), all listed as known ones.
    keys = set(re.findall(r'get\("((?:TIMESYNCER|SMTP|EMAIL)_[A-Z_]+)"\)', source))
    assert (
        keys
        == set(KNOWN_KEYS)
        == {
            "TIMESYNCER_DATA_DIR",
            "TIMESYNCER_DB_URL",
            "TIMESYNCER_TIMEZONE",
            "TIMESYNCER_OPENING_HOURS",
            "TIMESYNCER_SLOT_MINUTES",
            "TIMESYNCER_LOG_LEVEL",
            "TIMESYNCER_REMINDER_LEADS",
            "SMTP_HOST",
            "SMTP_PORT",
            "SMTP_SECURITY",
            "SMTP_FROM",
            "SMTP_TIMEOUT",
            "EMAIL_USER",
            "EMAIL_PASS",
        }
    )
    for key in keys:
        assert f"`{key}`" in readme, f"{key} missing from the README's settings table"
        assert re.search(rf"^#?\s*{key}=", example, re.M), f"{key} missing from .env.example"


def test_gmail_is_the_default_with_only_the_original_names(tmp_path: Path) -> None:
    settings = load(tmp_path, EMAIL_USER="desk@gmail.com", EMAIL_PASS="app password")
    mail = settings.mail
    assert (mail.host, mail.port, mail.security, mail.sender) == (
        "smtp.gmail.com",
        587,
        "starttls",
        "desk@gmail.com",
    )
    assert "app password" not in repr(settings) and "app password" not in mail.describe()


def test_no_mail_settings_means_mail_waits(tmp_path: Path) -> None:
    settings = load(tmp_path)
    assert not settings.mail.configured
    assert [lead.total_seconds() for lead in settings.reminder_leads] == [86400, 3600]
    leads = load(tmp_path, TIMESYNCER_REMINDER_LEADS="1d, 90m, 2h").reminder_leads
    assert [lead.total_seconds() / 60 for lead in leads] == [1440, 120, 90]


def test_a_password_without_a_user_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as caught:
        load(tmp_path, EMAIL_PASS="secret")
    assert caught.value.message == (
        "EMAIL_USER is not set, but EMAIL_PASS is (in the environment): a login needs both "
        "EMAIL_USER and EMAIL_PASS. Set the other one, or remove both."
    )


def test_a_user_without_a_password_names_where_the_user_was_set(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("EMAIL_USER=desk@clinic.example\n", encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load(tmp_path)
    assert caught.value.message.startswith("EMAIL_PASS is not set, but EMAIL_USER is (in ")
    assert str(tmp_path / ".env") in caught.value.message


def test_a_mail_server_without_a_sender_address_is_refused_saying_what_to_set(
    tmp_path: Path,
) -> None:
    """Otherwise the desk would start, say no mail server is set, and never send a thing."""
    (tmp_path / ".env").write_text("SMTP_HOST=127.0.0.1\nSMTP_PORT=2599\n", encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load(tmp_path)
    assert caught.value.key == "SMTP_FROM"
    assert caught.value.message == (
        f"SMTP_FROM is not set, but SMTP_HOST is (in {tmp_path / '.env'}): emails need a "
        "sender address. Set SMTP_FROM to the address customers see, such as "
        "desk@example.com (or EMAIL_USER, when the server needs a login)."
    )
    with_sender = load(tmp_path, SMTP_FROM="desk@clinic.example")
    assert with_sender.mail.configured
    assert with_sender.mail.sender == "desk@clinic.example"


def test_reminders_can_be_turned_off(tmp_path: Path) -> None:
    assert load(tmp_path, TIMESYNCER_REMINDER_LEADS="none").reminder_leads == ()
    assert load(tmp_path, TIMESYNCER_REMINDER_LEADS=" None ").reminder_leads == ()


def test_the_computer_s_zone_is_read_from_the_localtime_link(tmp_path: Path) -> None:
    zone_file = tmp_path / "usr/share/zoneinfo/America/New_York"
    zone_file.parent.mkdir(parents=True)
    zone_file.write_bytes(b"")
    link = tmp_path / "localtime"
    link.symlink_to(zone_file)
    assert linked_zone_name(link) == "America/New_York"
    relative = tmp_path / "relative"
    relative.symlink_to("usr/share/zoneinfo/Asia/Kolkata")  # as some systems write it
    assert linked_zone_name(relative) == "Asia/Kolkata"
    posix = tmp_path / "posix"
    posix.symlink_to("/usr/share/zoneinfo/posix/Europe/Lisbon")
    assert linked_zone_name(posix) == "Europe/Lisbon"
    copied = tmp_path / "copied"
    copied.write_bytes(b"TZif")  # a copy of the zone file names no zone
    assert linked_zone_name(copied) is None
    elsewhere = tmp_path / "elsewhere"
    elsewhere.symlink_to(tmp_path / "zones" / "London")
    assert linked_zone_name(elsewhere) is None
    assert linked_zone_name(tmp_path / "missing") is None


def test_with_no_zone_set_the_desk_uses_the_computer_s_as_tzlocal_tells_it(
    tmp_path: Path,
) -> None:
    import tzlocal

    settings = Settings.load(data_dir=tmp_path, environ={}, cwd=tmp_path)
    assert settings.timezone.key == (tzlocal.get_localzone_name() or "UTC")


@pytest.mark.parametrize(
    ("line", "said", "folder"),
    [
        ("TIMESYNCER_SLOTMINUTES=15", "Did you mean TIMESYNCER_SLOT_MINUTES?", "."),
        ("timesyncer_timezone=Europe/Paris", "Did you mean TIMESYNCER_TIMEZONE?", "."),
        ("TIMESYNCER_COLOUR=blue", "The README lists the settings.", "."),
        ("SMTP_HOTS=mail.example.com", "Did you mean SMTP_HOST?", "data"),
        ("SMTP_PASSWORD=secret", "Did you mean EMAIL_PASS?", "data"),
        ("SMTP_USER=desk@example.com", "Did you mean EMAIL_USER?", "data"),
        ("SLOT_MINUTES=15", "Did you mean TIMESYNCER_SLOT_MINUTES?", "data"),
    ],
)
def test_a_misspelt_setting_in_an_env_file_is_refused_with_a_suggestion(
    tmp_path: Path, line: str, said: str, folder: str
) -> None:
    env_file = tmp_path / folder / ".env"
    env_file.parent.mkdir(exist_ok=True)
    env_file.write_text(f"{line}\n", encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load(tmp_path)
    name = line.split("=")[0]
    assert caught.value.message == f"{name} (set in {env_file}) is not a TimeSyncer setting. {said}"


def test_other_programs_names_are_left_alone(tmp_path: Path) -> None:
    # A working folder's .env may be another program's too (a Django project's, say).
    (tmp_path / ".env").write_text(
        "EMAIL_HOST_USER=me\nEMAIL_PASSWORD=x\nSMTP_HOSTNAME=mail\nDJANGO_DEBUG=1\n",
        encoding="utf-8",
    )
    assert load(tmp_path, HOME="/root", EMAIL_USERNAME="me").slot_minutes == 30


def test_an_unknown_timesyncer_name_in_the_environment_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="TIMESYNCER_SLOT_MINUTE \\(set in the environment"):
        load(tmp_path, TIMESYNCER_SLOT_MINUTE="15")


def test_a_line_an_env_file_cannot_hold_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "TIMESYNCER_SLOT_MINUTES=15\nSMTP host is mail.example.com\n", encoding="utf-8"
    )
    with pytest.raises(SettingsError) as caught:
        load(tmp_path)
    assert caught.value.message == (
        f"Line 2 of {tmp_path / '.env'} is not a setting: write it as NAME=value."
    )
