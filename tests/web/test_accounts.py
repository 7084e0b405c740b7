"""Administration of accounts: deactivating, reactivating and changing roles."""
import pytest
from sqlmodel import select

from factcheck.errors import InputError
from factcheck.services.users import create_user, set_active, set_role
from factcheck.store.db import session_scope
from factcheck.store.models import AuditEntry, User

from .conftest import PASSWORD, login, submit

pytestmark = pytest.mark.db


def user_id(engine, username: str) -> int:
    with session_scope(engine) as session:
        return session.exec(select(User).where(User.username == username)).one().id


def audit_actions(engine) -> list[str]:
    with session_scope(engine) as session:
        return list(session.exec(select(AuditEntry.action).order_by(AuditEntry.id)).all())


def deactivate(admin, engine, username: str, active: str = "0"):
    return submit(admin, f"/admin/users/{user_id(engine, username)}/active", {"active": active}, page="/admin/")


def test_a_deactivated_user_is_logged_out_and_cannot_log_in_until_reactivated(app, engine, as_user):
    admin, checker = as_user("admin"), as_user("checker")
    assert checker.get("/review/").status_code == 200
    response = deactivate(admin, engine, "checker")
    assert response.status_code == 302
    assert "checker is deactivated." in admin.get("/admin/").text
    # The open session stops working at once: the next request is anonymous.
    response = checker.get("/review/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    refused = login(app.test_client(), "checker")
    assert refused.status_code == 422 and "Wrong username or password." in refused.text
    assert "user.deactivate" in audit_actions(engine)

    assert deactivate(admin, engine, "checker", active="1").status_code == 302
    assert login(app.test_client(), "checker").status_code == 302
    assert audit_actions(engine)[-1] == "user.activate"


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def with_cookie(app, cookie: str):
    """A new browser holding a copy of someone's session cookie."""
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client


def refused(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_session_cookie_copied_before_logout_does_not_work_after_it(app, as_user):
    checker = as_user("checker")
    copied = session_cookie(checker)
    assert with_cookie(app, copied).get("/review/").status_code == 200  # the copy works while logged in ...
    other_browser = as_user("checker")
    assert submit(checker, "/logout", {}, page="/review/").status_code == 302
    assert refused(with_cookie(app, copied).get("/review/"))  # ... and not after logout,
    assert refused(other_browser.get("/review/"))  # which ends the account's every session
    again = as_user("checker")  # a new login works, and its cookie is not the old one's
    assert again.get("/review/").status_code == 200 and refused(with_cookie(app, copied).get("/review/"))


def test_a_session_of_a_deactivated_account_stays_ended_after_reactivation(app, engine, as_user):
    admin, checker = as_user("admin"), as_user("checker")
    copied = session_cookie(checker)
    assert deactivate(admin, engine, "checker").status_code == 302
    assert deactivate(admin, engine, "checker", active="1").status_code == 302
    assert refused(with_cookie(app, copied).get("/review/"))


def test_a_role_change_applies_to_the_open_session_and_is_audited(engine, as_user):
    admin, checker = as_user("admin"), as_user("checker")
    assert checker.get("/desk/").status_code == 403
    checker_id = user_id(engine, "checker")
    response = submit(admin, f"/admin/users/{checker_id}/role", {f"user-{checker_id}-role": "editor"}, page="/admin/")
    assert response.status_code == 302
    page = admin.get("/admin/").text
    assert "checker is now editor." in page and "user.role" in page
    assert checker.get("/desk/").status_code == 200
    with session_scope(engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "user.role")).one()
        assert entry.detail == {"username": "checker", "from": "checker", "to": "editor"}
        assert entry.user_id == user_id(engine, "admin") and entry.object_id == checker_id


def test_unknown_roles_are_refused(engine, as_user):
    admin = as_user("admin")
    checker_id = user_id(engine, "checker")
    submit(admin, f"/admin/users/{checker_id}/role", {f"user-{checker_id}-role": "owner"}, page="/admin/")
    assert "The role was not changed" in admin.get("/admin/").text
    with session_scope(engine) as session:
        assert session.get(User, checker_id).role == "checker"


def test_an_admin_cannot_deactivate_themself_nor_remove_the_last_admin(engine, as_user):
    admin = as_user("admin")
    admin_id = user_id(engine, "admin")
    assert "(you)" in admin.get("/admin/").text  # no deactivate button on one's own row
    deactivate(admin, engine, "admin")
    assert "you cannot deactivate your own account" in admin.get("/admin/").text
    submit(admin, f"/admin/users/{admin_id}/role", {f"user-{admin_id}-role": "editor"}, page="/admin/")
    assert "admin is the last active admin" in admin.get("/admin/").text
    with session_scope(engine) as session:
        user = session.get(User, admin_id)
        assert user.active and user.role == "admin"
    assert "user.role" not in audit_actions(engine) and "user.deactivate" not in audit_actions(engine)


def test_with_a_second_admin_one_may_step_down(engine, as_user):
    with session_scope(engine) as session:
        create_user(session, "second", PASSWORD, "admin")
    admin = as_user("admin")
    admin_id = user_id(engine, "admin")
    submit(admin, f"/admin/users/{admin_id}/role", {f"user-{admin_id}-role": "editor"}, page="/admin/")
    assert admin.get("/admin/").status_code == 403  # no longer an admin, from this very request on
    second = as_user("second")
    # Now "second" is the last active admin: nobody can deactivate or demote it, even from the shell.
    with session_scope(engine) as session:
        last = session.exec(select(User).where(User.username == "second")).one()
        with pytest.raises(InputError, match="last active admin"):
            set_active(session, last, False)
        with pytest.raises(InputError, match="last active admin"):
            set_role(session, last, "checker")
    assert second.get("/admin/").status_code == 200


def test_account_changes_are_refused_to_non_admins_and_need_the_csrf_token(app, engine, as_user):
    checker_id = user_id(engine, "checker")
    for username in ("checker", "editor"):
        client = as_user(username)
        token_page = client.get("/review/").text
        from .conftest import csrf_token
        token = csrf_token(token_page)
        assert client.post(f"/admin/users/{checker_id}/active", data={"csrf_token": token, "active": "0"}).status_code == 403
        assert client.post(f"/admin/users/{checker_id}/role",
                           data={"csrf_token": token, f"user-{checker_id}-role": "admin"}).status_code == 403
    anonymous = app.test_client()
    response = anonymous.post(f"/admin/users/{checker_id}/active", data={"active": "0"})
    assert response.status_code == 400  # the CSRF check answers first
    admin = as_user("admin")
    assert admin.post(f"/admin/users/{checker_id}/active", data={"active": "0"}).status_code == 400
    assert admin.post(f"/admin/users/{checker_id}/role", data={f"user-{checker_id}-role": "admin"}).status_code == 400
    with session_scope(engine) as session:
        user = session.get(User, checker_id)
        assert user.active and user.role == "checker"


def test_a_damaged_active_form_changes_nothing(engine, as_user):
    admin = as_user("admin")
    deactivate(admin, engine, "checker", active="maybe")
    assert "Nothing was changed" in admin.get("/admin/").text
    with session_scope(engine) as session:
        assert session.get(User, user_id(engine, "checker")).active
