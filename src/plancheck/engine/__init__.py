"""The engine: the plugin host, configuration, the linter that runs the checks, the filters after
them (suppression comments, baseline) and batches of files."""
