"""Admin pages: every user, with search and paging; roles, disabling, password resets."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp.extensions import db
from quizapp.login import signed_in_account
from quizapp.models import User
from quizapp.services import people
from quizapp.services.accounts import AccountError
from quizapp.web.class_forms import RoleForm
from quizapp.web.forms import ActionForm

bp = Blueprint("admin", __name__)

F = TypeVar("F", bound=Callable[..., Any])


def admin_required(view: F) -> F:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403, "This page is for administrators.")
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404, "There is no such user.")
    return user


def _back() -> Any:
    return redirect(url_for("admin.users", q=request.args.get("q", ""),
                            page=request.args.get("page", "1")))


@bp.route("/users")
@admin_required
def users() -> Any:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        abort(400, "The page number must be a whole number from 1.")
    listing = people.list_users(db.session, request.args.get("q", ""), int(raw))
    if not listing.users and listing.page > 1:
        abort(404, "There is no such page of users.")
    return render_template("admin/users.html", listing=listing, form=ActionForm(),
                           role_form=RoleForm)


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@admin_required
def role(user_id: int) -> Any:
    user = _user(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(422, "Choose student, teacher or admin.")
    try:
        people.set_role(db.session, signed_in_account(), user, form.role.data)
    except AccountError as error:
        flash(str(error), "error")
    else:
        flash(f"{user.username} is now {user.role}.", "success")
    return _back()


@bp.route("/users/<int:user_id>/disabled", methods=["POST"])
@admin_required
def disabled(user_id: int) -> Any:
    user = _user(user_id)
    ActionForm()
    try:
        people.set_disabled(db.session, signed_in_account(), user,
                            request.form.get("disabled") == "1")
    except AccountError as error:
        flash(str(error), "error")
    else:
        flash(f"{user.username} is {'disabled' if user.disabled else 'enabled'}.", "success")
    return _back()


@bp.route("/users/<int:user_id>/reset", methods=["POST"])
@admin_required
def reset(user_id: int) -> Any:
    user = _user(user_id)
    ActionForm()
    password = people.reset_password(db.session, user)
    response = Response(render_template("admin/password.html", user=user, password=password))
    # Shown once: never kept in a cache or the browser's history.
    response.headers["Cache-Control"] = "no-store"
    return response
