"""quizapp: quizzes drawn from news articles.

`create_app` is the only entry point that builds an application; importing the
package does nothing else.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from quizapp.application import QuizappFlask
from quizapp.config import (
    DATABASE_FILE,
    PACKAGE_DIR,
    data_dir,
    default_settings,
    folder_settings,
    instance_secret_key,
    make_private_dir,
    resource_dir,
    settings_from_env,
)
from quizapp.params import BoundedIntConverter


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then `QUIZAPP_*` variables, then `config`.

    `config` may name the data folder as `DATA_DIR` (or its older name
    `INSTANCE_DIR`); the folders inside it follow unless set themselves.
    """
    overrides = dict(config or {})
    chosen = overrides.pop("DATA_DIR", None) or overrides.pop("INSTANCE_DIR", None)
    overrides.pop("INSTANCE_DIR", None)
    base = Path(chosen).expanduser().resolve() if chosen else data_dir()
    # The data folder is private: it holds the database and the key that signs sessions.
    make_private_dir(base)
    app = QuizappFlask(
        __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(PACKAGE_DIR / "static"),
        instance_path=str(base),
        instance_relative_config=True,
    )

    app.config.update(default_settings())
    app.config.update(folder_settings(base))
    app.config.update(settings_from_env(os.environ))
    app.config.update(overrides)
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", "sqlite:///" + str(base / DATABASE_FILE))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(base)
    app.config["SESSION_COOKIE_SECURE"] = app.config["HTTPS"]
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["HTTPS"]
    from quizapp.services.accounts import configure_hashing

    configure_hashing(app.config.get("PASSWORD_HASH_METHOD"), testing=app.config["TESTING"])
    if app.config.get("PROXY_COUNT"):
        # Behind N reverse proxies, the client address (login throttles) is in
        # X-Forwarded-For; without this every client would share the proxy's.
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]

    _init_extensions(app)
    # Before the blueprints: each route binds its converters when it is added.
    app.url_map.converters["int"] = BoundedIntConverter
    _register_blueprints(app)

    from quizapp.web import errors, security, templating

    errors.register(app)
    security.register(app)
    templating.register(app)
    _register_favicon(app)
    return app


def _register_favicon(app: Flask) -> None:
    """Pages name the icon in their head; clients that ask for /favicon.ico are sent to it."""
    from flask import redirect, url_for

    app.add_url_rule(
        "/favicon.ico", "favicon",
        lambda: redirect(url_for("static", filename="favicon.svg"), code=301),
    )


def _init_extensions(app: Flask) -> None:
    from quizapp import database
    from quizapp.extensions import csrf, db, migrate

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(PACKAGE_DIR / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    with app.app_context():
        database.configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])

    # Flask-Login over server-side, revocable sessions.
    from quizapp import login

    login.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from quizapp.api import bp as api_bp
    from quizapp.api import teach as _api_teach  # noqa: F401  (adds routes to api)
    from quizapp.api.legacy import API_PREFIX, LegacyApiPaths
    from quizapp.extensions import csrf
    from quizapp.web import (
        teach_banks,  # noqa: F401  (adds its views to `teach`)
        teach_drafts,  # noqa: F401  (views on the teach blueprint)
    )
    from quizapp.web import teach_classes as _teach_classes  # noqa: F401  (adds to teach)
    from quizapp.web.account import bp as account_bp
    from quizapp.web.admin import bp as admin_bp
    from quizapp.web.auth import bp as auth_bp
    from quizapp.web.quiz import bp as quiz_bp
    from quizapp.web.student_classes import bp as student_bp
    from quizapp.web.teach import bp as teach_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(quiz_bp)
    app.register_blueprint(teach_bp, url_prefix="/teach")
    app.register_blueprint(account_bp)
    app.register_blueprint(student_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    # The JSON API authenticates with the session cookie but is protected from
    # cross-site use by requiring a JSON content type (no form can send one), so
    # it is exempt from the form CSRF token.
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp, url_prefix=API_PREFIX)
    # Paths from before the API was versioned (/api/quizzes) are served as /api/v1.
    app.wsgi_app = LegacyApiPaths(app.wsgi_app)  # type: ignore[method-assign]
