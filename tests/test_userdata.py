"""The user-data store: names, transactions, migrations with backups, damage never hidden."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from loadwatch.errors import StoreError, UsageError
from loadwatch.units import METRES_PER_KM, METRES_PER_MILE
from loadwatch.userdata import store as userdata
from loadwatch.userdata.store import (
    FILE_NAME,
    Shoe,
    UserData,
    gear_changes,
    name_key,
    open_userdata,
)


def fixed_clock() -> datetime:
    return datetime(2026, 5, 1, 9, 30, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with open_userdata(tmp_path, clock=fixed_clock) as opened:
        yield opened


def test_a_new_file_is_at_the_current_version_in_wal_with_full_sync(tmp_path: Path) -> None:
    with open_userdata(tmp_path) as store:
        assert store.version == userdata.schema_version() == 2
        assert store.backups == []  # nothing to back up in a new file
    conn = sqlite3.connect(tmp_path / FILE_NAME)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    assert {"meta", "shoes", "shoe_aliases", "shoe_assignments"} <= tables
    conn.close()


def test_connections_write_with_synchronous_full(store: UserData) -> None:
    with store.reading() as conn:
        # 2 is FULL: a committed shoe survives a power cut
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_names_are_trimmed_and_unique_whatever_the_case(store: UserData) -> None:
    shoe, created = store.add_shoe("  Nike   Pegasus 40 ")
    assert created and shoe.name == "Nike Pegasus 40"
    assert name_key(" NIKE pegasus  40") == shoe.key
    with pytest.raises(UsageError, match="already a shoe named 'Nike Pegasus 40'"):
        store.add_shoe("nike pegasus 40")
    with pytest.raises(UsageError, match="cannot be empty"):
        store.add_shoe("   ")


def test_defaults_limit_and_start_distance(store: UserData) -> None:
    shoe, _ = store.add_shoe("Plain", default_in_service=date(2026, 3, 1))
    assert shoe.limit_m == pytest.approx(500 * METRES_PER_MILE)
    assert shoe.start_distance_m == 0.0
    assert shoe.in_service == date(2026, 3, 1)
    assert not shoe.auto_created
    custom, _ = store.add_shoe(
        "Custom",
        limit_m=720 * METRES_PER_KM,
        start_distance_m=40 * METRES_PER_MILE,
        in_service=date(2026, 1, 2),
        default_in_service=date(2026, 3, 1),
        default_for="trail",
    )
    assert (custom.limit_m, custom.start_distance_m) == (720_000.0, 40 * METRES_PER_MILE)
    assert custom.in_service == date(2026, 1, 2)
    assert custom.default_for == "trail"


def test_bad_values_are_refused_with_a_reason(store: UserData) -> None:
    with pytest.raises(UsageError, match="limit must be more than zero"):
        store.add_shoe("A", limit_m=0.0)
    with pytest.raises(UsageError, match="default-for must be one of road, trail"):
        store.add_shoe("A", default_for="grass")
    assert store.shoes() == ()


def test_gear_names_create_pairs_once_and_move_their_start_back(store: UserData) -> None:
    created = store.record_gear({"pegasus": ("Pegasus", date(2026, 2, 1))})
    assert created == ["Pegasus"]
    (shoe,) = store.shoes()
    assert shoe.auto_created and shoe.in_service == date(2026, 2, 1)
    # the same name in another spelling, with an earlier run found in another folder
    assert store.record_gear({"pegasus": (" PEGASUS ", date(2026, 1, 10))}) == []
    (shoe,) = store.shoes()
    assert shoe.name == "Pegasus" and shoe.in_service == date(2026, 1, 10)
    # a later run never moves it forward
    store.record_gear({"pegasus": ("Pegasus", date(2026, 3, 1))})
    assert store.shoes()[0].in_service == date(2026, 1, 10)


def test_a_pair_the_user_dated_keeps_its_date(store: UserData) -> None:
    store.add_shoe("Mine", in_service=date(2026, 2, 1))
    store.record_gear({"mine": ("Mine", date(2026, 1, 1))})
    assert store.shoes()[0].in_service == date(2026, 2, 1)


def test_gear_changes_is_the_pure_rule_behind_record_gear() -> None:
    shoes = (Shoe("Dated", in_service=date(2026, 2, 1)), Shoe("Undated"))
    created, starts = gear_changes(
        shoes,
        {
            "dated": ("dated", date(2026, 1, 1)),
            "undated": ("UNDATED", date(2026, 1, 5)),
            "fresh": ("Fresh ", date(2026, 1, 7)),
        },
    )
    assert [(s.name, s.in_service, s.auto_created) for s in created] == [
        ("Fresh", date(2026, 1, 7), True)
    ]
    assert starts == {"Undated": date(2026, 1, 5)}


def test_add_takes_over_a_pair_created_from_gear(store: UserData) -> None:
    store.record_gear({"kinvara": ("Kinvara", date(2026, 1, 3))})
    shoe, created = store.add_shoe(
        "kinvara",
        brand="Saucony",
        limit_m=400 * METRES_PER_MILE,
        default_in_service=date(2026, 5, 1),
    )
    assert not created
    assert shoe.name == "kinvara" and shoe.brand == "Saucony"
    assert shoe.in_service == date(2026, 1, 3)  # the first run, not today
    assert shoe.limit_m == pytest.approx(400 * METRES_PER_MILE)
    assert not shoe.auto_created
    with pytest.raises(UsageError, match="already a shoe"):
        store.add_shoe("Kinvara")


def test_rename_keeps_the_old_name_as_an_alias(store: UserData) -> None:
    store.add_shoe("Pegasus")
    shoe = store.rename_shoe("pegasus", "Peg 40 blue")
    assert shoe.name == "Peg 40 blue" and shoe.aliases == ("Pegasus",)
    assert shoe.answers_to(" pegasus ")
    # gear using the old name is not a new pair
    assert store.record_gear({"pegasus": ("Pegasus", date(2026, 1, 1))}) == []
    with pytest.raises(UsageError, match="earlier name of the shoe 'Peg 40 blue'"):
        store.add_shoe("PEGASUS")
    # renaming back drops the alias instead of pointing at itself
    back = store.rename_shoe("Peg 40 blue", "Pegasus")
    assert back.aliases == ("Peg 40 blue",)


def test_rename_to_a_taken_name_is_refused(store: UserData) -> None:
    store.add_shoe("One")
    store.add_shoe("Two")
    with pytest.raises(UsageError, match="already a shoe named 'Two'"):
        store.rename_shoe("One", "two")
    assert store.rename_shoe("One", "ONE").name == "ONE"  # a change of case is fine


def test_unknown_names_suggest_the_closest(store: UserData) -> None:
    with pytest.raises(UsageError, match="no shoes yet"):
        store.retire_shoe("Anything", date(2026, 1, 1))
    store.add_shoe("Pegasus 40")
    store.add_shoe("Kinvara 14")
    suggestion = r"no shoe named 'Pegasos 40'; did you mean 'Pegasus 40'\?"
    with pytest.raises(UsageError, match=suggestion):
        store.retire_shoe("Pegasos 40", date(2026, 1, 1))
    with pytest.raises(UsageError, match=r"no shoe named 'zzz' \(known: 'Kinvara 14', 'Pegasus"):
        store.assign("zzz", first=date(2026, 1, 1), last=date(2026, 1, 2))


def test_retire_and_its_date_check(store: UserData) -> None:
    store.add_shoe("Old", in_service=date(2026, 1, 10))
    with pytest.raises(UsageError, match="cannot be retired on 2026-01-09"):
        store.retire_shoe("Old", date(2026, 1, 9))
    assert store.retire_shoe("old", date(2026, 4, 1)).retired_on == date(2026, 4, 1)


def test_assignments_by_activity_replace_and_ranges_stack(store: UserData) -> None:
    store.add_shoe("A")
    store.add_shoe("B")
    store.assign("A", activity_id="20260301T070000Z")
    store.assign("B", activity_id="20260301T070000Z")
    store.assign("A", first=date(2026, 3, 1), last=date(2026, 3, 31))
    store.assign("B", first=date(2026, 3, 10), last=date(2026, 3, 12))
    found = store.assignments()
    assert [(a.shoe, a.activity_id) for a in found if a.activity_id] == [("B", "20260301T070000Z")]
    ranges = [a for a in found if a.activity_id is None]
    assert [a.shoe for a in ranges] == ["A", "B"]
    assert ranges[0].seq < ranges[1].seq


def test_assignment_input_errors(store: UserData) -> None:
    store.add_shoe("A")
    with pytest.raises(UsageError, match="not an activity id"):
        store.assign("A", activity_id="12345")
    with pytest.raises(UsageError, match="both a first and a last"):
        store.assign("A", first=date(2026, 1, 1))
    with pytest.raises(UsageError, match="either one activity, or a date range"):
        store.assign("A", activity_id="20260301T070000Z", first=date(2026, 1, 1))
    with pytest.raises(UsageError, match="ends .* before it starts"):
        store.assign("A", first=date(2026, 1, 2), last=date(2026, 1, 1))
    assert store.assignments() == ()


def test_a_failed_write_leaves_nothing_behind(store: UserData) -> None:
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("INSERT INTO shoes (name, name_key, limit_m) VALUES ('Ghost', 'ghost', 1.0)")
        raise RuntimeError("interrupted")
    assert store.shoes() == ()


def test_a_damaged_file_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    garbage = b"this is not sqlite at all" * 100
    path.write_bytes(garbage)
    with pytest.raises(StoreError, match="damaged .* left untouched"):
        open_userdata(tmp_path)
    assert path.read_bytes() == garbage


def test_a_foreign_database_is_not_taken_over(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / FILE_NAME)
    conn.execute("CREATE TABLE something (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a loadwatch user data file"):
        open_userdata(tmp_path)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    with open_userdata(tmp_path) as store, store.transaction() as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer loadwatch .*schema 99"):
        open_userdata(tmp_path)


def _v2_pain(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE pain_log (day TEXT NOT NULL, score INTEGER NOT NULL)")


def test_migration_backs_up_first_then_moves_forward(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a file written at version 1, then a next step (later versions are real migrations)
    monkeypatch.setattr(userdata, "MIGRATIONS", userdata.MIGRATIONS[:1])
    with open_userdata(tmp_path) as store:
        store.add_shoe("Kept")
    monkeypatch.setattr(userdata, "MIGRATIONS", [*userdata.MIGRATIONS, _v2_pain])
    with open_userdata(tmp_path, clock=fixed_clock) as store:
        assert store.version == 2
        assert [s.name for s in store.shoes()] == ["Kept"]
        (backup,) = store.backups
    assert backup.name == f"{FILE_NAME}.v1-20260501T093000.bak"
    old = sqlite3.connect(backup)
    assert old.execute("SELECT value FROM meta").fetchone()[0] == "1"
    assert old.execute("SELECT name FROM shoes").fetchall() == [("Kept",)]
    old.close()
    with open_userdata(tmp_path, clock=fixed_clock) as store:
        assert store.backups == []  # already current: no new copy


def _v2_broken(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE half_done (x)")
    raise sqlite3.OperationalError("disk full (simulated)")


def test_a_failed_migration_rolls_back_and_keeps_the_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a file written at version 1, then a next step (later versions are real migrations)
    monkeypatch.setattr(userdata, "MIGRATIONS", userdata.MIGRATIONS[:1])
    with open_userdata(tmp_path) as store:
        store.add_shoe("Kept")
    monkeypatch.setattr(userdata, "MIGRATIONS", [*userdata.MIGRATIONS, _v2_broken])
    with pytest.raises(StoreError, match="disk full"):
        open_userdata(tmp_path, clock=fixed_clock)
    assert len(list(tmp_path.glob(f"{FILE_NAME}.v1-*.bak"))) == 1
    monkeypatch.setattr(userdata, "MIGRATIONS", userdata.MIGRATIONS[:1])
    with open_userdata(tmp_path) as store:
        assert store.version == 1
        assert [s.name for s in store.shoes()] == ["Kept"]
        with store.reading() as conn:
            tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
        assert "half_done" not in tables


def test_merge_listed_fills_gaps_and_adds_aliases(store: UserData) -> None:
    store.record_gear({"nike pegasus 40": ("Nike Pegasus 40", date(2026, 1, 1))})
    added, updated = store.merge_listed(
        [
            Shoe(
                "Blue pair",
                brand="Nike",
                model="Pegasus 40",
                default_for="run",
                aliases=("Nike Pegasus 40", "Nike Pegasus 40 Blue pair"),
            ),
            Shoe("Trail pair", brand="Hoka", model="Speedgoat", aliases=("Hoka Speedgoat",)),
        ]
    )
    assert added == ["Trail pair"] and updated == ["Nike Pegasus 40"]
    shoes = {s.name: s for s in store.shoes()}
    pegasus = shoes["Nike Pegasus 40"]
    assert (pegasus.brand, pegasus.model, pegasus.default_for) == ("Nike", "Pegasus 40", "run")
    assert pegasus.answers_to("blue pair") and pegasus.answers_to("Nike Pegasus 40 Blue pair")
    assert shoes["Trail pair"].answers_to("hoka speedgoat")
    # importing the same list again changes nothing
    assert store.merge_listed([Shoe("Trail pair", brand="Hoka")]) == ([], [])


def _connect_with(
    monkeypatch: pytest.MonkeyPatch, setup: str | None = None, read_only: bool = False
) -> None:
    """Open the user data the way a locked-down or full machine would let SQLite open it.

    Tests often run as root, whom file permissions do not stop, so the limits come
    from SQLite itself: a read-only open answers writes with SQLITE_READONLY, and a
    page cap answers growth with SQLITE_FULL, the codes a real permission or disk
    problem gives.
    """
    real = sqlite3.connect

    def connect(path: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if read_only:
            conn = real(f"file:{path}?mode=ro", *args, uri=True, **kwargs)
        else:
            conn = real(path, *args, **kwargs)
        if setup:
            conn.execute(setup)
        return conn

    monkeypatch.setattr(userdata.sqlite3, "connect", connect)


def test_a_read_only_data_file_is_a_permission_problem_not_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_userdata(tmp_path) as store:
        store.add_shoe("Pegasus 40")
    _connect_with(monkeypatch, read_only=True)
    with pytest.raises(StoreError) as caught, open_userdata(tmp_path) as store:
        store.add_shoe("Spare")
    words = str(caught.value)
    assert "permission denied" in words and "check their owner and permissions" in words
    assert "damaged" not in words and "move it aside" not in words
    monkeypatch.undo()
    with open_userdata(tmp_path) as store:
        assert [s.name for s in store.shoes()] == ["Pegasus 40"]


def test_a_full_disk_says_so_and_keeps_what_was_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_userdata(tmp_path) as store:
        store.add_shoe("Pegasus 40")
    conn = sqlite3.connect(tmp_path / FILE_NAME)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    _connect_with(monkeypatch, setup=f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError) as caught, open_userdata(tmp_path) as store:
        for n in range(200):
            store.add_shoe(f"Pair {n}", notes="x" * 2000)
    words = str(caught.value)
    assert "is full; free some space" in words and "damaged" not in words
    monkeypatch.undo()
    with open_userdata(tmp_path) as store:
        assert "Pegasus 40" in [s.name for s in store.shoes()]


def test_a_zero_length_file_is_damage_left_in_place_not_a_new_diary(tmp_path: Path) -> None:
    # SQLite opens an empty file as a new database; the diary would start afresh
    path = tmp_path / FILE_NAME
    path.write_bytes(b"")
    with pytest.raises(StoreError, match=r"is empty \(0 bytes\).*left untouched"):
        open_userdata(tmp_path)
    assert path.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILE_NAME]


def test_a_new_file_is_private_and_put_in_place_whole(tmp_path: Path) -> None:
    home = tmp_path / "data"
    old = os.umask(0o022)  # the usual umask, which would leave files readable by all
    try:
        with open_userdata(home) as store:
            store.add_shoe("Pegasus")
    finally:
        os.umask(old)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    for part in home.iterdir():
        assert stat.S_IMODE(part.stat().st_mode) == 0o600, part.name
    # only the finished file is left: no temporary file beside it
    assert sorted(p.name for p in home.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        FILE_NAME
    ]


def test_a_run_killed_while_creating_the_file_leaves_no_empty_diary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(conn: sqlite3.Connection) -> None:
        raise KeyboardInterrupt  # stands in for a kill in the middle of the first write

    monkeypatch.setattr(userdata, "MIGRATIONS", [killed])
    with pytest.raises(KeyboardInterrupt):
        open_userdata(tmp_path)
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    with open_userdata(tmp_path) as store:  # the next run simply creates it
        assert store.version == userdata.schema_version()


def test_a_read_only_file_is_reported_as_read_only_not_as_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_userdata(tmp_path) as store:
        store.add_shoe("Pegasus")
    real = sqlite3.connect

    def read_only(path: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        # root may write any file whatever its mode, so the read-only file is simulated
        # by opening it the way SQLite opens a file it may not write
        return real(f"file:{path}?mode=ro", *args, uri=True, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(userdata.sqlite3, "connect", read_only)
    with open_userdata(tmp_path) as store:  # reading still works
        assert [s.name for s in store.shoes()] == ["Pegasus"]
        with pytest.raises(StoreError) as caught:
            store.add_shoe("Vaporfly")
    assert "read-only" in caught.value.reason
    assert "damaged" not in caught.value.reason
