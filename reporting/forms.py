"""The dashboard filters: period, local authority and team."""

from datetime import date

from django import forms
from django.utils import timezone

from accounts.caching import cached
from accounts.forms_kit import date_field
from accounts.models import Role, Team
from schools.models import School

from . import invalidation
from .scope import Scope, school_year_start


class DashboardFilterForm(forms.Form):
    start = date_field("From", required=False)
    end = date_field("To", required=False)
    la = forms.ChoiceField(label="Local authority", required=False)
    team = forms.ChoiceField(label="Team", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        las, teams = self._choices()
        self.fields["la"].choices = [("", "Every local authority"), *las]
        self.team_ids = tuple(pk for pk, _name in teams)
        everyone = "Every team you lead" if user.role == Role.SERGEANT else "Every team"
        self.fields["team"].choices = [("", everyone), *((str(pk), name) for pk, name in teams)]

    def _choices(self):
        """The force's local authorities and the teams this person may slice by, cached with
        the force's figures (a sergeant's teams are theirs alone)."""
        user = self.user

        def compute():
            schools = School.objects.filter(force_id=user.force_id).open()
            las = schools.order_by("la_name").values_list("la_code", "la_name").distinct()
            teams = self._teams().order_by("name").values_list("pk", "name")
            return list(las), list(teams)

        who = user.pk if user.role == Role.SERGEANT else None
        return cached(invalidation.TOPIC, user.force_id, ("filter-choices", who), compute)

    def _teams(self):
        if self.user.role == Role.SERGEANT:
            return Team.objects.led_by(self.user)
        return Team.objects.visible_to(self.user)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "The end of the period must be on or after its start.")
        return data

    def scope(self, *, today: date | None = None) -> Scope:
        """Return the scope the (valid or empty) form asks for; defaults: this school year."""
        today = today or timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start = data.get("start") or school_year_start(today)
        end = data.get("end") or today
        if data.get("team"):
            team_ids = (int(data["team"]),)
        elif self.user.role == Role.SERGEANT:
            # A sergeant's dashboards always count their own teams' schools only.
            team_ids = self.team_ids or (0,)
        else:
            team_ids = ()
        return Scope(self.user, start, end, data.get("la", ""), team_ids, today)
