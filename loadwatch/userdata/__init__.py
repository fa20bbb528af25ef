"""What the user typed, kept safe: the user-data file, their shoes and their pain diary.

``store`` opens the file (migrating it, with a backup first) and keeps the shoes;
``shoes`` counts each pair's runs; ``pain`` is the diary's entries and episodes,
``pain_store`` and ``pain_csv`` how they are saved and exchanged.
"""
