"""Forms of the site's own pages."""

from django import forms

from agentnet.models import MailChoice


class MailChoiceForm(forms.ModelForm):
    class Meta:
        model = MailChoice
        fields = [
            "digest", "language", "projects", "erfa_days", "self_assessments", "reviews",
            "goals", "actions", "weekly_summary",
        ]
