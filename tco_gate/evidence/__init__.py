"""Evidence readers: machine-written files (eval logs, a usage export, a load test) -> typed figures. Pure.

Each reader takes a file's bytes and the path it is shown under, and returns figures or raises InputError
whose findings carry the file's own line and column. The run layer reads the bytes; nothing here opens a file.
"""
