"""The web application: server-rendered pages per audience, and a read-only JSON API.

- app.py        create_app(): settings, security headers, CSRF, login, blueprints
- auth.py       /login, /logout, the logged-in Account and role_required()
- public.py     /  and /verdicts/<id>: published verdicts with ClaimReview markup
- review.py     /review/: the fact-checkers' queue and verdict form
- desk.py       /desk/: incoming articles and their flagged quotes, for editors
- admin.py      /admin/: accounts and the audit log
- api.py        /api/verdicts: published verdicts as JSON
- forms.py      the WTForms forms
- queries.py    read-only queries for the pages (writes go through factcheck.services)
- db.py         one database session per request
- paging.py, display.py, claimreview.py   pagination, safe text pieces, JSON-LD

Templates are in the top-level templates/ folder; the stylesheet in factcheck/static/.
"""
