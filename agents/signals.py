"""What the agents app tells the apps above it, which it may not import."""

from django.dispatch import Signal

# An agent's manager changed (agents.services.change_manager), inside its transaction.
# Arguments: agent, previous (user id or None), manager (user or None).
manager_changed = Signal()
