"""One module per command: explicit arguments in, an exit code out. cli.py parses and calls them."""
