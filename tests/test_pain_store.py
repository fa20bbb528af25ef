"""The pain diary in userdata.sqlite: migration, transactions, and surviving the cache."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from loadwatch.config import Config
from loadwatch.errors import UsageError
from loadwatch.ingest.pipeline import import_folders
from loadwatch.userdata import pain_store
from loadwatch.userdata import store as userdata
from loadwatch.userdata.pain import PainEntry
from loadwatch.userdata.store import FILE_NAME, open_userdata

D = date(2026, 3, 2)


def test_a_new_file_has_the_pain_table_with_its_checks(tmp_path: Path) -> None:
    with open_userdata(tmp_path) as store:
        assert store.version == userdata.schema_version() == 2
    conn = sqlite3.connect(tmp_path / FILE_NAME)
    with pytest.raises(sqlite3.IntegrityError):  # a painful entry must say where
        conn.execute("INSERT INTO pain_entries (day, level) VALUES ('2026-03-02', 3)")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO pain_entries (day, level, location) VALUES ('2026-03-02', 11, 'under')"
        )
    conn.close()


def test_a_version_1_file_is_backed_up_then_gains_the_diary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_only = userdata.MIGRATIONS[:1]
    with monkeypatch.context() as patch:
        patch.setattr(userdata, "MIGRATIONS", first_only)
        with open_userdata(tmp_path) as store:
            store.add_shoe("Kept")
            assert store.version == 1
    with open_userdata(tmp_path) as store:
        assert store.version == 2
        (backup,) = store.backups
        assert [s.name for s in store.shoes()] == ["Kept"]
        pain_store.add_entry(store, PainEntry(D, 2, "under"))
        assert [e.level for e in pain_store.load_entries(store)] == [2]
    assert backup.name.startswith(f"{FILE_NAME}.v1-")


def test_add_get_update_delete(tmp_path: Path) -> None:
    with open_userdata(tmp_path) as store:
        first = pain_store.add_entry(store, PainEntry(D, 3, "Under", "first-steps", note=" stiff "))
        second = pain_store.add_entry(store, PainEntry(date(2026, 3, 1), 0))
        assert (first.id, second.id) == (1, 2)
        assert first.where == "under" and first.note == "stiff"
        # diary order is by date, whatever the order of logging
        assert [e.id for e in pain_store.load_entries(store)] == [2, 1]
        changed = pain_store.update_entry(store, 1, {"level": 5, "when": None, "swelling": True})
        assert (changed.level, changed.when, changed.swelling, changed.id) == (5, None, True, 1)
        assert pain_store.get_entry(store, 1) == changed
        with pytest.raises(UsageError, match="say where it hurts"):
            pain_store.update_entry(store, 2, {"level": 4})
        assert pain_store.get_entry(store, 2).level == 0  # the refused change left it alone
        with pytest.raises(UsageError, match="in the future"):
            pain_store.add_entry(store, PainEntry(date(2026, 3, 3), 1, "under"), today=D)
        assert pain_store.delete_entry(store, 2).day == date(2026, 3, 1)
        with pytest.raises(UsageError, match="no pain entry #2"):
            pain_store.delete_entry(store, 2)
        with pytest.raises(ValueError, match="not pain entry fields: mood"):
            pain_store.update_entry(store, 1, {"mood": "low"})
        assert [e.id for e in pain_store.load_entries(store)] == [1]


def test_import_is_all_or_nothing_and_skips_what_is_there(tmp_path: Path) -> None:
    with open_userdata(tmp_path) as store:
        pain_store.add_entry(store, PainEntry(D, 3, "under", "first-steps"))
        incoming = [PainEntry(D, 3, "under", "first-steps"), PainEntry(date(2026, 3, 3), 2, "back")]
        assert pain_store.import_entries(store, incoming) == (1, 1)
        assert pain_store.import_entries(store, incoming) == (0, 2)
        with pytest.raises(UsageError, match="say where it hurts"):
            pain_store.import_entries(
                store, [PainEntry(date(2026, 3, 9), 1, "under"), PainEntry(date(2026, 3, 10), 4)]
            )
        assert len(pain_store.load_entries(store)) == 2  # the valid first row was rolled back


def test_the_diary_survives_deleting_the_cache(tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "log.csv").write_text("date,distance_km\n2026-03-01,5\n", encoding="utf-8")
    home = tmp_path / "home"
    import_folders([exports], config=Config(), home=home)
    with open_userdata(home) as store:
        pain_store.add_entry(store, PainEntry(D, 4, "under", "first-steps"))
    cache = home / "cache.sqlite"
    assert cache.is_file()
    cache.unlink()
    collection = import_folders([exports], config=Config(), home=home)
    assert len(collection.runs) == 1  # the cache was rebuilt ...
    [entry] = pain_store.load_pain(home)  # ... and the diary never lived there
    assert (entry.day, entry.level) == (D, 4)
    assert pain_store.rule_inputs(home) == {"pain": (entry,)}
