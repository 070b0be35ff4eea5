from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agentnet import outbox
from agentnet.models import Delivery, MailChoice


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The outbox, for the answer to "I got no mail": what was sent, what failed and why."""

    list_display = ["subject", "to", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "about"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    actions = ["send_again"]
    # What was sent is a record: it is not edited afterwards.
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the mails that could not be sent again"))
    def send_again(self, request, queryset):
        count = outbox.resend(queryset)
        self.message_user(
            request,
            ngettext("%(count)d mail is queued again.", "%(count)d mails are queued again.",
                     count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(MailChoice)
class MailChoiceAdmin(admin.ModelAdmin):
    list_display = ["user", "digest", "language"]
    list_filter = ["digest", "language"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    raw_id_fields = ["user"]
