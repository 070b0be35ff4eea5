from django.utils.functional import SimpleLazyObject

from agents import permissions
from competencies import permissions as competency_permissions


def roles(request):
    """Role flags for templates, evaluated only when a template asks."""
    user = request.user if hasattr(request, "user") else None
    if user is None:
        return {}
    return {
        "user_is_facilitator": SimpleLazyObject(lambda: permissions.is_facilitator(user)),
        "user_hands_over_roles": SimpleLazyObject(
            lambda: permissions.can_hand_over_roles(user)
        ),
        "user_sees_team": SimpleLazyObject(lambda: competency_permissions.can_see_team(user)),
    }
