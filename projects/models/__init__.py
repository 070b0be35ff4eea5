"""The projects app's models, by topic: the project itself with the goals and kinds of work
it serves, and what happens to it (updates, changes, rollout, ideas)."""

from projects.models.portfolio import (
    MAX_HOURS_PER_YEAR,
    STALE_AFTER,
    SUMMARY_MAX,
    TITLE_MAX,
    UPDATE_MAX,
    URGENT,
    Project,
    ProjectType,
    StrategyGoal,
)
from projects.models.work import Idea, ProjectChange, ProjectUpdate, Rollout

__all__ = [
    "MAX_HOURS_PER_YEAR", "STALE_AFTER", "SUMMARY_MAX", "TITLE_MAX", "UPDATE_MAX", "URGENT",
    "Idea", "Project", "ProjectChange", "ProjectType", "ProjectUpdate", "Rollout",
    "StrategyGoal",
]
