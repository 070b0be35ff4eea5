"""What a person hands over of the erfa-days when they leave (agents/handover.py): the
follow-up actions they still owe. Done actions keep their owner: the minutes say who did
them."""

from django.utils.translation import gettext_lazy as _

from agents.handover import Contribution, Part, register
from meetings.models import Action

ACTIONS = "actions"


def _open_actions(person):
    return Action.objects.filter(owner=person, done=False)


@register
class MeetingsHandOver(Contribution):
    parts = (
        Part(
            ACTIONS, _("Open follow-up actions from erfa-days"), 50,
            held=lambda person: _open_actions(person)
            .select_related("item__meeting").order_by("deadline", "pk"),
            template="meetings/_handover.html#actions",
        ),
    )

    def hand_over(self, person, successor, chosen, *, by):
        return {ACTIONS: _open_actions(person).update(owner=successor)}
