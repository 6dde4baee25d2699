"""Forms of accounts, and the form base every app's forms share."""

from allauth.account.forms import AddEmailForm
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.contrib.auth import password_validation

from . import services
from .models import ROLE_ORGANISATION_KINDS, Force, Organisation, Role, Team, User
from .rules import invitable_roles


def add_validation_errors(form, error) -> None:
    """Show a service's ValidationError on the form: at its field when it names one, else at the top."""
    pairs = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for field, messages in pairs:
        form.add_error(field if field in form.fields else None, messages)


class GovukFormMixin:
    """Render with the GOV.UK template pack; the subclass names its submit button."""

    submit_label = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("submit", self.submit_label))


class InvitationForm(GovukFormMixin, forms.Form):
    submit_label = "Send invitation"

    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter the person's full name"},
    )
    email = forms.EmailField(
        label="Email address",
        help_text="The invitation link is sent here. It works once and lasts 7 days.",
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the person's role"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        help_text="Where the person works: the force, a school, a partner or a council.",
        error_messages={"required": "Choose the organisation the person works for"},
    )
    team = forms.ModelChoiceField(
        label="Team (police only, optional)", queryset=Team.objects.none(), required=False
    )
    rank = forms.CharField(
        label="Rank (optional)",
        max_length=60,
        required=False,
        help_text="For example PC, PCSO or Sgt.",
    )
    collar_number = forms.CharField(label="Collar number (optional)", max_length=20, required=False)

    def __init__(self, *args, inviter: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.inviter = inviter
        self.fields["role"].choices = [(r.value, r.label) for r in invitable_roles(inviter)]
        if inviter.role == Role.HEADTEACHER:
            # A headteacher invites staff of their own school only.
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk=inviter.organisation_id
            )
            self.fields["organisation"].initial = inviter.organisation_id
            self.initial["organisation"] = inviter.organisation_id  # not a link's ?organisation=
            self.fields["organisation"].widget = forms.HiddenInput()
            for name in ("team", "rank", "collar_number"):
                del self.fields[name]
        else:
            self.fields["organisation"].queryset = Organisation.objects.visible_to(
                inviter
            ).order_by("kind", "name")
            self.fields["organisation"].label_from_instance = lambda org: (
                f"{org.name} ({org.get_kind_display().lower()})"
            )
            self.fields["team"].queryset = Team.objects.filter(force_id=inviter.force_id)
            self._preselect(self.initial.get("organisation"))

    def _preselect(self, organisation_id):
        """Start from the organisation a link names (an organisation's page links here with
        ?organisation=<id>), and from the one role its people may have, if one."""
        self.initial.pop("organisation", None)
        if not str(organisation_id or "").isdigit():
            return
        organisation = self.fields["organisation"].queryset.filter(pk=organisation_id).first()
        if organisation is None:
            return
        self.initial["organisation"] = organisation.pk
        roles = [
            value
            for value, _ in self.fields["role"].choices
            if organisation.kind in ROLE_ORGANISATION_KINDS[Role(value)]
        ]
        if len(roles) == 1:
            self.initial["role"] = roles[0]

    def clean(self):
        data = super().clean()
        role, organisation = data.get("role"), data.get("organisation")
        if role and organisation and organisation.kind not in ROLE_ORGANISATION_KINDS[Role(role)]:
            kinds = " or ".join(
                str(Organisation.Kind(k).label).lower() for k in ROLE_ORGANISATION_KINDS[Role(role)]
            )
            self.add_error(
                "organisation", f"A {Role(role).label.lower()} must belong to a {kinds}."
            )
        if data.get("team") and organisation and organisation.kind != Organisation.Kind.POLICE:
            self.add_error("team", "Only police staff belong to a team.")
        return data


class AcceptInvitationForm(GovukFormMixin, forms.Form):
    submit_label = "Create my account"

    full_name = forms.CharField(
        label="Your full name", max_length=150, error_messages={"required": "Enter your full name"}
    )
    password1 = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. A few unrelated words make a strong password.",
        strip=False,
        error_messages={"required": "Enter a password"},
    )
    password2 = forms.CharField(
        label="Type the password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
        error_messages={"required": "Type the password again"},
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields["full_name"].initial = invitation.full_name

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The passwords do not match")
        elif first:
            probe = User(email=self.invitation.email, full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class TeamForm(GovukFormMixin, forms.ModelForm):
    submit_label = "Save team"

    class Meta:
        model = Team
        fields = ["name", "kind", "sergeant"]
        labels = {"name": "Team name", "kind": "Kind of team", "sergeant": "Sergeant who leads it"}
        widgets = {"kind": forms.RadioSelect}
        error_messages = {
            "name": {"required": "Enter the team's name"},
            "kind": {"required": "Choose the kind of team"},
        }

    def __init__(self, *args, force, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.force = force
        self.fields["sergeant"].queryset = User.objects.filter(
            organisation__force=force, role=Role.SERGEANT, is_active=True
        )
        self.fields["sergeant"].required = False

    def validate_unique(self):
        # The force is set on the instance, not a form field, so check it here.
        super().validate_unique()
        name = self.cleaned_data.get("name")
        clash = Team.objects.filter(force=self.instance.force, name__iexact=name or "")
        if name and clash.exclude(pk=self.instance.pk).exists():
            self.add_error("name", "The force already has a team with this name")


class OrganisationForm(GovukFormMixin, forms.ModelForm):
    """Add one of the force's partner providers, local authorities or partner agencies, or
    change its name (and an agency's type). The kind is chosen when it is added only."""

    submit_label = "Save organisation"

    class Meta:
        model = Organisation
        fields = ["name", "kind", "agency_type"]
        labels = {
            "name": "Name of the organisation",
            "kind": "What kind of organisation is it?",
            "agency_type": "Type of partner agency (partner agencies only)",
        }
        help_texts = {
            "name": "As its people know it, for example Dorset Youth Justice Service.",
            "agency_type": "Leave this unanswered for a partner provider or a local authority.",
        }
        widgets = {"kind": forms.RadioSelect, "agency_type": forms.RadioSelect}
        error_messages = {
            "name": {
                "required": "Enter the organisation's name",
                "max_length": "Enter a name of 200 characters or fewer",
            },
            "kind": {"required": "Choose what kind of organisation it is"},
        }

    def __init__(self, *args, force, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.attrs = {"novalidate": ""}  # the service's messages, not the browser's
        self.instance.force = force
        if self.instance.pk:
            del self.fields["kind"]
            if self.instance.kind != Organisation.Kind.AGENCY:
                del self.fields["agency_type"]
        else:
            self.fields["kind"].choices = [
                (kind.value, kind.label) for kind in Organisation.KEPT_BY_FORCE
            ]
        if "agency_type" in self.fields:
            self.fields["agency_type"].choices = Organisation.AgencyType.choices
            self.fields["agency_type"].required = False


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label="Search by name or email", required=False)
    role = forms.ChoiceField(
        label="Role", required=False, choices=[("", "Any role"), *Role.choices]
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Active and disabled"), ("active", "Active"), ("disabled", "Disabled")],
    )


class ForceSettingsForm(GovukFormMixin, forms.ModelForm):
    submit_label = "Save settings"

    home_la_codes = forms.CharField(
        label="Local authority codes of the force's area",
        help_text="The DfE's three-digit codes, separated by commas, for example 838, 839.",
        required=False,
    )
    panel_access_days_before = forms.IntegerField(
        label="Days before a multi-agency panel its members may read its cases",
        help_text="From 0 to 14. A meeting may set its own when it is set up.",
        min_value=0,
        max_value=14,
        required=False,
        error_messages={
            "invalid": "Enter a whole number of days, like 3",
            "min_value": "Enter a number of days from 0 to 14",
            "max_value": "Enter a number of days from 0 to 14",
        },
    )
    panel_access_days_after = forms.IntegerField(
        label="Days after a multi-agency panel they may still read them",
        help_text="From 0 to 14. After this, members read nothing of the panel's cases.",
        min_value=0,
        max_value=14,
        required=False,
        error_messages={
            "invalid": "Enter a whole number of days, like 2",
            "min_value": "Enter a number of days from 0 to 14",
            "max_value": "Enter a number of days from 0 to 14",
        },
    )

    class Meta:
        model = Force
        fields = [
            "contact_model",
            "enhanced_engagements_per_term",
            "home_la_codes",
            "panel_access_days_before",
            "panel_access_days_after",
        ]
        labels = {
            "contact_model": "How schools get their police contact",
            "enhanced_engagements_per_term": "Engagements a term promised to Enhanced schools",
        }
        widgets = {"contact_model": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["home_la_codes"] = ", ".join(self.instance.home_la_codes)

    def clean_panel_access_days_before(self):
        value = self.cleaned_data["panel_access_days_before"]
        return self.instance.panel_access_days_before if value is None else value

    def clean_panel_access_days_after(self):
        value = self.cleaned_data["panel_access_days_after"]
        return self.instance.panel_access_days_after if value is None else value

    def clean_home_la_codes(self):
        codes = [
            c.strip()
            for c in self.cleaned_data["home_la_codes"].replace(";", ",").split(",")
            if c.strip()
        ]
        bad = [c for c in codes if not (c.isdigit() and len(c) == 3)]
        if bad:
            raise forms.ValidationError(f"These are not three-digit codes: {', '.join(bad)}")
        return sorted(set(codes))

    def clean_enhanced_engagements_per_term(self):
        value = self.cleaned_data["enhanced_engagements_per_term"]
        if not 1 <= value <= 60:
            raise forms.ValidationError("Enter a number from 1 to 60")
        return value


class ChangeSignInEmailForm(AddEmailForm):
    """allauth's "change email" form (ACCOUNT_FORMS["add_email"]): refuses the address of
    another account or of a waiting invitation, and audits the request. The address becomes
    the sign-in email only once the link sent to it is opened."""

    def clean_email(self):
        email = super().clean_email()
        refusal = services.sign_in_email_refusal(email, user=self.user)
        if refusal:
            raise forms.ValidationError(refusal)
        return email

    def save(self, request):
        address = super().save(request)
        services.sign_in_email_change_requested(
            user=self.user, email=address.email, request=request
        )
        return address
