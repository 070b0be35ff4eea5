"""Topics proposed by agents, placed on an agenda or parked by the facilitator; and the
external speakers the facilitator invites."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agentnet.pagination import paginate
from meetings import permissions, services
from meetings.forms import PlaceProposalForm, ProposalForm, SpeakerForm
from meetings.models import TopicProposal
from meetings.views.common import form_page, manager_only


def propose(request):
    if not permissions.can_propose_topic(request.user):
        raise PermissionDenied
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        proposal = form.save(commit=False)
        proposal.proposed_by = request.user
        proposal.save()
        messages.success(request, _("Thank you. The facilitator will find a place for it."))
        return redirect("meetings:index")
    return form_page(
        request, form, _("Propose a topic"), cancel="meetings:index",
        intro=_("“I would like a talk about …” or a problem the network should discuss."),
    )


def proposals(request):
    manager_only(request.user)
    # Unplaced: also a proposal whose agenda item went with its erfa-day in the admin.
    waiting = TopicProposal.objects.filter(item__isnull=True).select_related("proposed_by")
    return render(
        request,
        "meetings/proposals.html",
        {"page": paginate(request, waiting), "place_form": PlaceProposalForm()},
    )


@require_POST
def proposal_place(request, pk):
    manager_only(request.user)
    proposal = get_object_or_404(TopicProposal, pk=pk, item__isnull=True)
    form = PlaceProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an erfa-day that is not held or cancelled."))
        return redirect("meetings:proposals")
    services.place_proposal(proposal, form.cleaned_data["meeting"])
    messages.success(request, _("The topic is on the agenda."))
    return redirect(form.cleaned_data["meeting"])


@require_POST
def proposal_park(request, pk):
    manager_only(request.user)
    proposal = get_object_or_404(TopicProposal, pk=pk, item__isnull=True)
    proposal.status = TopicProposal.Status.BACKLOG
    proposal.save(update_fields=["status"])
    messages.success(request, _("The topic is in the backlog for a later erfa-day."))
    return redirect("meetings:proposals")


def speaker_create(request):
    manager_only(request.user)
    form = SpeakerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The speaker is saved."))
        return redirect("meetings:index")
    return form_page(request, form, _("New speaker"), cancel="meetings:index")
