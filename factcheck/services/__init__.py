"""One function per use case, shared by the command line, the web pages and the API.

Each takes a session (or an engine, where it owns its transaction), does its work in one
transaction and raises `factcheck.errors.InputError` for bad input before writing anything.
Reads for the pages return plain dataclasses or rows; no module here imports Flask.

Writing:
- articles.py      ingesting articles: read, extract, store, match
- statements.py    importing known statements (JSONL, CSV, transcripts), then re-matching
- sources.py       source documents: which document each statement belongs to, and its place
- matching.py      matching quotes and claims against the statements, storing matches
- embeddings.py    the optional sentence-embedding index of the statements, one per database
- verified_quotes.py  a verified quote becomes a known statement (not yet called by the verdict workflow)
- verdicts.py      recording verdicts, one version per save
- review.py        assigning items, feedback on matches; the review page's look-ups
- people.py        people and aliases: lookup, merge, split; the people pages
- users.py         accounts and roles
- audit.py         the audit log and its latest entries
- login_throttle.py  failed logins per username and address
- demo.py          the demo data

Reading for the pages:
- verdict_views.py published verdicts (public pages, API), the review page's sources
- queue.py         the review queue, one page at a time
- desk.py          the editors' desk: flagged quotes, counts, chart, CSV rows
- transcripts.py   imported transcripts, their sentences ranked by check-worthiness
- flags.py         the SQL forms of "flagged" (domain.is_flagged), the one place flags are queried
- paging.py        pagination of queries, counted up to a cap
- like.py          LIKE patterns
- ratings.py       the rating scales
- changes.py       the database's change marker (for caches)
- sessions.py      opening a unit of work for a caller that commits itself (the web app)
"""
