"""The request side of pagination: which page a request asks for, and the address of another
(the queries are paged by services.paging)."""
from __future__ import annotations

from flask import request, url_for

from .ids import bounded_number


def page_number(param: str = "page") -> int:
    """The ?page= (or another `param`) of this request, 1 when absent or nonsense."""
    return request.args.get(param, 1, type=bounded_number)


def page_url(number: int, param: str = "page") -> str:
    """This page's address with ?page=number (or another `param`, for a page with two
    lists), keeping its other query arguments (filters, search)."""
    args = {**request.args.to_dict(), param: number}
    return url_for(request.endpoint, **(request.view_args or {}), **args)
