"""A person's own account: display name and time zone (the password page is auth's).

A one-time password (from an admin reset or a teacher's roster) must be changed
before anything else: every request is sent to the password page until it is.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from quizapp.extensions import db
from quizapp.login import log_out, signed_in_account
from quizapp.services import people
from quizapp.services.accounts import AccountError
from quizapp.timezones import zone_names
from quizapp.web.class_forms import ProfileForm
from quizapp.web.templating import viewer_zone

bp = Blueprint("account", __name__)

# What a person with a one-time password may still reach.
OPEN_WITH_ONE_TIME_PASSWORD = frozenset(
    {"auth.change_password", "auth.logout", "auth.logout_everywhere", "api.logout", "static"}
)


@bp.before_app_request
def _must_change_password() -> Response | None:
    if not current_user.is_authenticated:
        return None
    if current_user.disabled:
        # Disabling ends every login; this catches a request already under way.
        log_out()
        abort(403, "This account has been disabled. Ask an administrator.")
    if not current_user.must_change_password:
        return None
    if request.endpoint in OPEN_WITH_ONE_TIME_PASSWORD:
        return None
    if request.blueprint == "api":
        abort(403, "Change your one-time password first (on the account page).")
    flash("Choose a new password to continue: the one you were given works only once. "
          "Type it as the current password.", "info")
    return redirect(url_for("auth.change_password"))


def _profile_form(formdata: bool = True) -> ProfileForm:
    form = ProfileForm() if formdata else ProfileForm(
        formdata=None, display_name=current_user.display_name,
        timezone=current_user.timezone or "")
    form.timezone.choices = [("", "My browser's zone (or UTC)")] + [
        (name, name) for name in zone_names()
    ]
    return form


@bp.route("/account", methods=["GET", "POST"])
@login_required
def settings() -> Any:
    form = _profile_form(formdata=request.method == "POST")
    if form.validate_on_submit():
        try:
            people.update_profile(db.session, signed_in_account(), form.display_name.data,
                                  form.timezone.data)
        except AccountError as error:
            form.display_name.errors.append(str(error))
        else:
            flash("Saved.", "success")
            return redirect(url_for("account.settings"))
    return render_template("account/settings.html", form=form,
                           zone=str(viewer_zone())), 422 if form.errors else 200
