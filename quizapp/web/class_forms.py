"""Forms of the teacher's class pages, the admin pages and a person's account."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from quizapp.models import ROLES
from quizapp.services.assignments import (
    MAX_ATTEMPTS,
    MAX_EXTRA_ATTEMPTS,
    MAX_EXTRA_MINUTES,
    MAX_TIME_LIMIT,
)
from quizapp.services.classes import MAX_NAME_LENGTH

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class ClassForm(FlaskForm):
    name = StringField("Class name", validators=[DataRequired(), Length(max=MAX_NAME_LENGTH)])
    submit = SubmitField("Create class")


class CodeForm(FlaskForm):
    valid_days = IntegerField(
        "Valid for (days)", validators=[Optional(), NumberRange(min=1, max=365)],
        description="Leave empty for a code that works until you change or turn it off.",
    )
    submit = SubmitField("New join code")


class CoTeacherForm(FlaskForm):
    username = StringField("Teacher's username", validators=[DataRequired(), Length(max=40)])
    submit = SubmitField("Add teacher")


class AssignForm(FlaskForm):
    # No `required` attribute: a select always has a choice, and HTML then asks for an
    # empty first option. The server checks the choice.
    quiz_id = SelectField("Quiz", coerce=int, validators=[DataRequired()],
                          render_kw={"required": False})
    opens_at = DateTimeLocalField("Opens", format=LOCAL_FORMAT, validators=[DataRequired()])
    due_at = DateTimeLocalField("Due", format=LOCAL_FORMAT, validators=[DataRequired()])
    closes_at = DateTimeLocalField(
        "Closes (optional)", format=LOCAL_FORMAT, validators=[Optional()],
        description="After the due time, work is accepted as late until this time. "
                    "Empty: never closes.",
    )
    time_limit = IntegerField(
        "Time limit in minutes (optional)",
        validators=[Optional(), NumberRange(min=1, max=MAX_TIME_LIMIT)],
        description="Empty: the quiz's own.",
    )
    attempts_allowed = IntegerField(
        "Attempts allowed (optional)",
        validators=[Optional(), NumberRange(min=1, max=MAX_ATTEMPTS)],
        description="Empty: the quiz's own.",
    )
    submit = SubmitField("Assign")


class ExceptionForm(FlaskForm):
    student_id = SelectField("Student", coerce=int, validators=[DataRequired()],
                             render_kw={"required": False})
    extra_minutes = IntegerField(
        "Extra minutes", default=0,
        validators=[Optional(), NumberRange(min=0, max=MAX_EXTRA_MINUTES)],
    )
    extra_attempts = IntegerField(
        "Extra attempts", default=0,
        validators=[Optional(), NumberRange(min=0, max=MAX_EXTRA_ATTEMPTS)],
    )
    submit = SubmitField("Save allowance")


class RosterForm(FlaskForm):
    roster = FileField("Roster file (.csv)", validators=[FileRequired()],
                       description="One line per student: username, display name.")
    submit = SubmitField("Create accounts")


class JoinForm(FlaskForm):
    code = StringField("Join code", validators=[DataRequired(), Length(max=40)],
                       description="The code your teacher gave you, like ACDEF-GHJKM.")
    submit = SubmitField("Join class")


class ProfileForm(FlaskForm):
    display_name = StringField("Display name", validators=[Optional(), Length(max=80)],
                               description="The name your teachers see. Empty: your username.")
    timezone = SelectField("Time zone", validators=[Optional()],
                           description="Times are shown in this zone. Empty: your browser's "
                                       "zone where it can tell, otherwise UTC.")
    submit = SubmitField("Save")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=list(ROLES))
    submit = SubmitField("Change role")
