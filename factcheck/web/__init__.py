"""The web application: server-rendered pages per audience, and a read-only JSON API.

- app.py        create_app(): settings, security headers, CSRF, login, blueprints
- auth.py       /login, /logout, the logged-in Account and role_required()
- public.py     /, /verdicts/<id>, /speakers/<id>, /verdicts.atom: published verdicts
                with ClaimReview markup
- review.py     /review/: the fact-checkers' queue, assignment, match feedback, verdict form
- desk.py       /desk/: incoming articles, flagged quotes, counts, chart, CSV exports (editors)
- transcripts.py  /desk/transcripts/: imported transcripts, each one's sentences ranked by check-worthiness
- people.py     /people/: merge people, split an alias off (editors)
- admin.py      /admin/: accounts (create, change role, deactivate) and the audit log
- api.py        /api/verdicts: published verdicts as JSON
- forms.py      the WTForms forms
- db.py         the request's unit of work (services.sessions), committed on success
- cache.py      rendered pieces of pages kept until the database changes (services.changes)
- paging.py, display.py, claimreview.py   ?page=, safe text pieces, JSON-LD
- urls.py       absolute URLs, on the BASE_URL setting (never the request's Host)

A view parses the request, calls the services and renders what they return: every page
and API answer gets its data from factcheck.services (verdict_views, queue, desk, people,
users, audit, review, transcripts), and failed logins are counted by
services.login_throttle. No module here but app.py, which builds the engine, imports the
database libraries or the storage layer (tests/test_architecture.py checks).

Templates are in the top-level templates/ folder; the stylesheet in factcheck/static/.
"""
