"""Reading the exports: discovery and archives, the parsers, the cache, copies and merging.

``pipeline.import_folders`` is the way in; the modules below it are its steps:
``sources`` (finding files, opening archives), ``importers`` (one per format),
``parse`` (one file to checked activities), ``cache`` (parsed files kept on disk),
``copies`` and ``dedupe`` (one activity however many files hold it).
"""
