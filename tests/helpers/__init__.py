"""What the tests share besides fixtures: paths, the corpus, builders of inputs.

pytest puts ``tests/`` on ``sys.path`` (``pythonpath`` in pyproject.toml), so a test
writes ``from helpers.corpus import CORPUS``. Fixtures and hooks stay in
``tests/conftest.py``, which no test imports.

- ``paths``: the project's own folders
- ``corpus``: the shared corpus of real device files, read in place
- ``activities``: activities for rule and table tests
- ``fitbuild``: small FIT files written with Garmin's own encoder
- ``cohortbuild``: generated teams and cohorts of FIT files
"""
