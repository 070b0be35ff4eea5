"""Minutes: what was said and decided under an agenda item, and the follow-up actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meetings import permissions, services
from meetings.forms import ActionFormSet, MinutesForm
from meetings.models import Action
from meetings.views.common import item_for


def item_minutes(request, pk):
    item = item_for(request.user, pk)
    form = MinutesForm(request.POST or None, instance=item, prefix="minutes")
    actions = ActionFormSet(request.POST or None, instance=item, prefix="actions")
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        services.save_minutes(form, actions)
        messages.success(request, _("The minutes are saved."))
        return redirect(f"{item.meeting.get_absolute_url()}#item-{item.pk}")
    return render(
        request,
        "meetings/minutes_form.html",
        {"form": form, "actions": actions, "item": item, "meeting": item.meeting},
    )


@require_POST
def action_done(request, pk):
    action = get_object_or_404(Action.objects.select_related("item__meeting"), pk=pk)
    if not permissions.can_tick_action(request.user, action):
        raise PermissionDenied
    action.done = True
    action.save(update_fields=["done"])
    messages.success(request, _("The action is marked as done."))
    return redirect("meetings:index")
