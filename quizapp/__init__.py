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

from quizapp.config import (
    PACKAGE_DIR,
    default_settings,
    instance_secret_key,
    resource_dir,
    settings_from_env,
)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then `QUIZAPP_*` variables, then `config`."""
    overrides = dict(config or {})
    instance_dir = overrides.pop("INSTANCE_DIR", None) or os.environ.get("QUIZAPP_INSTANCE_DIR")
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(PACKAGE_DIR / "static"),
        instance_path=str(Path(instance_dir).resolve()) if instance_dir else None,
        instance_relative_config=True,
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    app.config.update(default_settings())
    app.config.update(settings_from_env(os.environ))
    app.config.update(overrides)
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI",
        "sqlite:///" + str(Path(app.instance_path) / "quizapp.sqlite3"),
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    app.config["SESSION_COOKIE_SECURE"] = app.config["HTTPS"]
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["HTTPS"]

    _init_extensions(app)
    _register_blueprints(app)

    from quizapp.web import errors, security, templating

    errors.register(app)
    security.register(app)
    templating.register(app)
    return app


def _init_extensions(app: Flask) -> None:
    from quizapp import database
    from quizapp.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(PACKAGE_DIR / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    with app.app_context():
        database.configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])

    from quizapp import models

    @login_manager.user_loader
    def load_user(user_id: str) -> models.User | None:
        if not user_id.isdigit():
            return None
        return db.session.get(models.User, int(user_id))


def _register_blueprints(app: Flask) -> None:
    from quizapp.api import bp as api_bp
    from quizapp.extensions import csrf
    from quizapp.web import teach_banks  # noqa: F401  (adds its views to `teach`)
    from quizapp.web.auth import bp as auth_bp
    from quizapp.web.quiz import bp as quiz_bp
    from quizapp.web.teach import bp as teach_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(quiz_bp)
    app.register_blueprint(teach_bp, url_prefix="/teach")
    # The JSON API authenticates with the session cookie but is protected from
    # cross-site use by requiring a JSON content type (no form can send one), so
    # it is exempt from the form CSRF token.
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp, url_prefix="/api")
