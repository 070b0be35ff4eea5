"""The strategy page: what the network's projects deliver, where, and what is stuck."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from projects import permissions, strategy
from projects import strategy_export as export
from projects.forms import StrategyFilterForm


def _figures(request):
    if not permissions.can_see_strategy(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    default = strategy.Period.of(today)
    # Read once: the filter's choices and the coverage figures both come from these lists.
    goals = list(strategy.goals_with_running())
    departments = list(strategy.departments_with_reach(today))
    form = StrategyFilterForm(
        request.GET or None, goals=goals, departments=departments,
        periods=strategy.period_choices(today),
    )
    chosen = form.chosen(default)
    figures = strategy.figures(**chosen, goals=goals, departments=departments)
    strategy.add_links(figures, goal=chosen["goal"], department=chosen["department"])
    return form, chosen, figures


def overview(request):
    form, chosen, figures = _figures(request)
    return render(
        request,
        "projects/strategy.html",
        {"form": form, **chosen, **figures, "today": timezone.localdate(),
         "charts": strategy.charts(figures)},
    )


def spreadsheet(request):
    _form, chosen, figures = _figures(request)
    response = HttpResponse(
        export.as_xlsx(figures),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="strategi-{chosen["period"].slug}.xlsx"'
    )
    return response
