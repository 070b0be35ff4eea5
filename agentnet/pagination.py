"""Pagination that every app's lists share."""

from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page=PAGE_SIZE):
    """One page of a list; a missing, negative or non-numeric page number gives a valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
