"""The web application: server-rendered pages per audience, and a read-only JSON API.

- app.py        create_app(): settings, security headers, CSRF, login, blueprints
- auth.py       /login, /logout, the logged-in Account and role_required()
- public.py     /, /verdicts/<id>, /speakers/<id>, /verdicts.atom: published verdicts
                with ClaimReview markup
- review.py     /review/: the fact-checkers' queue, assignment, match feedback, verdict form
- desk.py       /desk/: incoming articles, flagged quotes, counts, chart, CSV exports (editors)
- transcripts.py  /desk/transcripts/: imported transcripts, each ranked by check-worthiness
- people.py     /people/: merge people, split an alias off (editors)
- admin.py      /admin/: accounts (create, change role, deactivate) and the audit log
- api.py        /api/verdicts: published verdicts as JSON
- forms.py      the WTForms forms
- queries.py    read-only queries for the pages (writes go through factcheck.services);
                queue.py (the review queue) and newsroom.py (the desk) hold the larger ones
- ratelimit.py  failed logins per username and address
- db.py         one database session per request
- cache.py      rendered pieces of pages kept until the database changes (a change marker)
- paging.py, display.py, claimreview.py   pagination, safe text pieces, JSON-LD

Templates are in the top-level templates/ folder; the stylesheet in factcheck/static/.
"""
