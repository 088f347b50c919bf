"""Bearer tokens for the API: issued for a username and password, stored hashed,
listed and revoked by their owner."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from quizapp.models import ApiToken, User

# The prefix says what a leaked string is, so scanners and people recognise it.
TOKEN_PREFIX = "qz_"


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def issue_token(session: Session, user: User, name: str, now: datetime) -> IssuedToken:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name.strip() or "script",
                     token_hash=token_hash(secret), created_at=now)
    session.add(token)
    session.commit()
    return IssuedToken(token, secret)


def user_for_token(session: Session, secret: str, now: datetime) -> User | None:
    """The user a live token belongs to; records when it was last used."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = session.scalar(select(ApiToken).where(
        ApiToken.token_hash == token_hash(secret), ApiToken.revoked_at.is_(None)))
    if token is None or not token.user.is_active:
        return None
    # At most one write a minute per token, so a busy script does not queue writes.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now
        session.commit()
    return token.user


def user_tokens(session: Session, user_id: int) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(
        ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None)).order_by(ApiToken.id)))


def revoke_token(session: Session, user_id: int, token_id: int, now: datetime) -> bool:
    """False when the user has no such live token (someone else's id included)."""
    result = session.execute(update(ApiToken).where(
        ApiToken.id == token_id, ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None),
    ).values(revoked_at=now))
    session.commit()
    return bool(cast("CursorResult[Any]", result).rowcount)


def token_json(token: ApiToken) -> dict[str, Any]:
    return {"id": token.id, "name": token.name, "created_at": token.created_at.isoformat(),
            "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None}
