"""Write the generated demo team, or a generated cohort, for ``loadwatch team`` and ``cohort``.

Usage (from the project root, after ``pip install '.[test]'``: the FIT files are
written with Garmin's FIT SDK encoder, a test dependency)::

    python scripts/make_team.py demo-team --data-dir demo-data
    python scripts/make_team.py demo-cohort --cohort 40 --years 1

The demo team is the one the tests rank (``tests/helpers/cohortbuild.py``): six athletes as of
2026-03-01, with Red's pain diary and Worn's shoes written into their own data
directories under ``--data-dir``. A cohort is ``--cohort`` athletes of generated
training over ``--years`` years up to 2025-12-31.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from helpers import cohortbuild  # noqa: E402

COHORT_LAST_DAY = date(2025, 12, 31)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", type=Path, help="where to write the athletes' folders")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="the team's data directory, for the demo team's diary and shoes",
    )
    parser.add_argument(
        "--cohort",
        type=int,
        metavar="N",
        help="write N generated athletes instead of the demo team",
    )
    parser.add_argument("--years", type=int, default=1)
    args = parser.parse_args(argv)
    if args.folder.exists() and any(args.folder.iterdir()):
        parser.error(f"{args.folder} is not empty")
    if args.cohort:
        first = COHORT_LAST_DAY - timedelta(days=round(365.25 * args.years) - 1)
        plans = cohortbuild.write_cohort(args.folder, args.cohort, first, COHORT_LAST_DAY)
        files = sum(len(plan) for plan in plans.values())
        print(
            f"{len(plans)} athletes, {files} FIT files in {args.folder}; try: "
            f"loadwatch cohort {args.folder} --out tables --as-of {COHORT_LAST_DAY}"
        )
        return 0
    for name, plan in cohortbuild.demo_team_plans().items():
        cohortbuild.write_athlete(args.folder / name, plan)
    home = args.data_dir
    if home is not None:
        cohortbuild.demo_team_user_data(home)
    where = f"--data-dir {home} " if home is not None else ""
    print(
        f"6 athletes in {args.folder}; try: loadwatch {where}team {args.folder} "
        f"--as-of {cohortbuild.DEMO_AS_OF}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
