"""Pagination, shared by every list page and the API (templates use macros.pagination)."""
from __future__ import annotations

import math
from dataclasses import dataclass

from flask import request, url_for
from sqlalchemy import func
from sqlmodel import Session, select


@dataclass
class Page:
    """One page of a longer list; `number` counts from 1."""

    items: list
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(session: Session, stmt, number: int, size: int) -> tuple[list, int]:
    """The rows of page `number` of `stmt`, and how many rows there are in all."""
    total = session.exec(select(func.count()).select_from(stmt.order_by(None).subquery())).one()
    rows = session.exec(stmt.limit(size).offset((max(number, 1) - 1) * size)).all()
    return list(rows), total


def page_number() -> int:
    """The ?page= of this request, 1 when absent or nonsense."""
    return max(request.args.get("page", 1, type=int), 1)


def page_url(number: int) -> str:
    """This page's address with ?page=number, keeping its other query arguments (filters, search)."""
    args = {**request.args.to_dict(), "page": number}
    return url_for(request.endpoint, **(request.view_args or {}), **args)
