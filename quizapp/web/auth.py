"""Register, log in, log out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quizapp.extensions import db
from quizapp.login import client_address, log_in, log_out, login_policy, signed_in_account
from quizapp.services import accounts
from quizapp.web.forms import ActionForm, ChangePasswordForm, LoginForm, RegisterForm
from quizapp.web.quiz import now

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only local paths: an open redirect would let a link send people anywhere."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("quiz.index")


@bp.route("/register", methods=["GET", "POST"])
def register() -> str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    if current_user.is_authenticated:
        return redirect(url_for("quiz.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.register(
                db.session, form.username.data, form.password.data,
                address=client_address(), now=now(), policy=login_policy(),
            )
        except accounts.TooManyAttempts as error:
            form.username.errors.append(str(error))
            return _too_many("auth/register.html", form, error)
        except accounts.AccountError as error:
            # Say which field is wrong: a weak password is not a username problem.
            field = form.password if error.field == "password" else form.username
            field.errors.append(str(error))
        else:
            log_in(user)
            flash(f"Welcome, {user.username}! Pick a quiz to start.", "success")
            return redirect(url_for("quiz.index"))
    status = 422 if form.errors else 200
    return render_template("auth/register.html", form=form), status


def _too_many(
    template: str,
    form: LoginForm | RegisterForm | ChangePasswordForm,
    error: accounts.TooManyAttempts,
) -> tuple[str, int, dict[str, str]]:
    return (render_template(template, form=form), 429,
            {"Retry-After": str(error.retry_after)})


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    if current_user.is_authenticated:
        return redirect(url_for("quiz.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(
                db.session, form.username.data, form.password.data,
                address=client_address(), now=now(), policy=login_policy(),
            )
        except accounts.TooManyAttempts as error:
            form.password.errors.append(str(error))
            return _too_many("auth/login.html", form, error)
        if user is not None and not user.is_active:
            # The right password for a disabled account: say so, rather than appear to
            # log in and land logged out.
            form.password.errors.append(accounts.DISABLED_MESSAGE)
            return render_template("auth/login.html", form=form), 403
        if user is not None:
            log_in(user, remember=bool(form.remember.data))
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append("Wrong username or password.")
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    ActionForm()  # CSRF is checked globally; the form documents the intent.
    log_out()
    flash("You have been logged out.", "info")
    return redirect(url_for("quiz.index"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = signed_in_account()
        try:
            # The current password is checked like a login, throttle included, so a
            # borrowed session cannot be used to guess it.
            confirmed = accounts.authenticate(
                db.session, user.username, form.current.data,
                address=client_address(), now=now(), policy=login_policy(),
            )
        except accounts.TooManyAttempts as error:
            form.current.errors.append(str(error))
            return _too_many("auth/password.html", form, error)
        if confirmed is None or confirmed.id != user.id:
            form.current.errors.append("That is not your current password.")
        else:
            try:
                accounts.set_password(db.session, user, form.password.data)
            except accounts.AccountError as error:
                form.password.errors.append(str(error))
            else:
                # Every login ended, this one too; this browser gets a new one.
                log_in(user)
                flash("Your password is changed. You are logged out on every other "
                      "device.", "success")
                return redirect(url_for("quiz.index"))
    status = 422 if form.errors else 200
    return render_template("auth/password.html", form=form), status


@bp.route("/account/logout-everywhere", methods=["POST"])
@login_required
def logout_everywhere() -> Response:
    ActionForm()  # CSRF is checked globally; the form documents the intent.
    count = accounts.end_all_sessions(db.session, signed_in_account())
    log_out()
    flash(f"You have been logged out on every device ({count} "
          f"login{'s' if count != 1 else ''} ended).", "info")
    return redirect(url_for("auth.login"))
