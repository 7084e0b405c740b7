"""One function per use case, shared by the command line, the web pages and the API.

Each takes a session (or an engine, where it owns its transaction), does its work in one
transaction and raises `factcheck.errors.InputError` for bad input before writing anything.
"""
