"""WTForms forms (with CSRF through Flask-WTF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, PasswordField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from quizapp.services.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=40)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me logged in on this device")
    submit = SubmitField("Log in")


class RegisterForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[DataRequired(), Length(min=3, max=40)],
        description="3 to 40 letters, digits, dots, dashes or underscores.",
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)],
        description=f"At least {MIN_PASSWORD_LENGTH} characters.",
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )
    submit = SubmitField("Create account")


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=200)])
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)],
        description=f"At least {MIN_PASSWORD_LENGTH} characters; a few uncommon words work well.",
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
    )
    submit = SubmitField("Change password")


class ActionForm(FlaskForm):
    """A form with only a CSRF token, for buttons that change state."""


class UploadBankForm(FlaskForm):
    bank_file = FileField(
        "Bank file (.yaml), or Moodle questions (.gift, Aiken .txt)",
        validators=[FileRequired()],
        description="Moodle files are converted and shown to you before anything is saved.",
    )
    submit = SubmitField("Check and upload")


class UploadSourceForm(FlaskForm):
    source_file = FileField("Source text (.md or .txt, UTF-8)", validators=[FileRequired()])
    submit = SubmitField("Upload source text")


class DraftArticleForm(FlaskForm):
    """An article to draft questions from: a file or pasted text, and what it is."""

    article_file = FileField("Article file (.md or .txt)")
    article_text = TextAreaField(
        "Or paste the article", validators=[Optional(), Length(max=200_000)],
        description="One paragraph per line; a first line starting with '# ' is the title.")
    title = StringField("Headline", validators=[Optional(), Length(max=300)])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=300)])
    published = StringField("Date (YYYY-MM-DD)", validators=[Optional(), Length(max=40)])
    url = StringField("Link to the article", validators=[Optional(), Length(max=2_000)],
                      description="Its real address, shown to students with the quotes.")
    bank_id = StringField("Bank id", validators=[Optional(), Length(max=64)],
                          description="Lowercase letters, digits and dashes; "
                                      "from the headline when left empty.")
    submit = SubmitField("Draft questions")
