"""An erfa-day's agenda items: adding, editing, moving and removing them, and their
uploaded material."""

import os
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from meetings import permissions, services
from meetings.forms import AgendaItemForm
from meetings.models import MATERIAL_SHOWN_INLINE, AgendaItem
from meetings.views.common import form_page, item_for, meeting_for


def item_create(request, pk):
    meeting = meeting_for(request.user, pk, manage=True)
    form = AgendaItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.meeting = meeting
        item.position = services.next_position(meeting)
        item.save()
        form.save_m2m()
        return redirect(meeting)
    return form_page(request, form, _("New agenda item"), cancel=meeting.get_absolute_url())


def item_edit(request, pk):
    item = item_for(request.user, pk)
    form = AgendaItemForm(request.POST or None, request.FILES or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect(item.meeting)
    return form_page(request, form, _("Edit agenda item"), cancel=item.meeting.get_absolute_url())


@require_POST
def item_delete(request, pk):
    item = item_for(request.user, pk)
    services.delete_item(item)
    messages.success(request, _("The item is removed from the agenda."))
    return redirect(item.meeting)


@require_POST
def item_move(request, pk):
    item = item_for(request.user, pk)
    services.move_item(item, up=request.POST.get("direction") == "up")
    return redirect(f"{item.meeting.get_absolute_url()}#item-{item.pk}")


@require_safe
def material(request, pk):
    """An agenda item's uploaded file, for whoever may see its erfa-day. PDFs and images open
    in the browser, other files are downloaded; the type is ours, never the browser's guess."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    if not item.material_file or not permissions.can_download_material(request.user, item):
        raise Http404
    content_type = item.material_type
    as_attachment = content_type not in MATERIAL_SHOWN_INLINE
    filename = os.path.basename(item.material_file.name)
    if settings.MEDIA_ACCEL_REDIRECT:
        # The proxy sends the file from its internal location (docs/deployment.md).
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT + quote(
            item.material_file.name
        )
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    else:
        try:
            file = item.material_file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            file, as_attachment=as_attachment, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    return response
