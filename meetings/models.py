import secrets
import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from agents.models import Agent, Location
from projects.models import Project

MAX_DURATION = 600

# Agenda material that may be uploaded, by file extension, with the type it is served as.
# Only PDFs and images open in the browser; office documents are downloaded. No HTML, SVG or
# script: the files are served from the portal's own address.
MATERIAL_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
MATERIAL_SHOWN_INLINE = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}
MATERIAL_MAX_MB = 20


class Speaker(models.Model):
    """An invited speaker from outside the network; needs no account."""

    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="speaker_name")]

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        from meetings.permissions import can_manage_meetings

        if can_manage_meetings(user):
            return self
        return self.exclude(status=Meeting.Status.DRAFT)

    def upcoming(self):
        return self.filter(date__gte=timezone.localdate()).order_by("date")

    def past(self):
        return self.filter(date__lt=timezone.localdate()).order_by("-date")


class Meeting(models.Model):
    """An erfa-day."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts"), default=time(9))
    end_time = models.TimeField(_("ends"), default=time(15))
    room = models.CharField(_("room"), max_length=120, blank=True)
    location = models.ForeignKey(
        Location, verbose_name=_("town"), on_delete=models.PROTECT, related_name="meetings"
    )
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    # Calendar invitations: one UID for the erfa-day's life, SEQUENCE raised on each change.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # The round as it was used, frozen when the erfa-day is marked as held.
    round_snapshot = models.JSONField(null=True, blank=True, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("erfa-day")
        verbose_name_plural = _("erfa-days")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="meeting_ends_after_start",
                violation_error_message=_("The erfa-day must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["date"], condition=~Q(status="cancelled"), name="one_meeting_a_day",
                violation_error_message=_("There is already an erfa-day on that date."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "held", "cancelled"]),
                name="meeting_status_known",
            ),
        ]

    def __str__(self):
        title = _("Erfa-day %(date)s") % {"date": date_format(self.date, "SHORT_DATE_FORMAT")}
        return f"{title}: {self.theme}" if self.theme else title

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    @property
    def starts_at(self):
        return timezone.make_aware(datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self):
        return timezone.make_aware(datetime.combine(self.date, self.end_time))

    @property
    def is_visible_to_agents(self):
        return self.status != self.Status.DRAFT

    @property
    def has_started(self):
        return timezone.now() >= self.starts_at


class AgendaItemQuerySet(models.QuerySet):
    def for_agenda(self):
        """Items as the agenda and the minutes show them: with their presenters, the
        projects they are about and their follow-up actions, a query per relation."""
        return self.select_related("presenter__user", "speaker").prefetch_related(
            models.Prefetch("projects", queryset=Project.objects.only("title")),
            models.Prefetch("actions", queryset=Action.objects.select_related("owner")),
        )


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        WELCOME = "welcome", _("Welcome")
        ROUND = "round", _("The round")
        TALK = "talk", _("Talk")
        WORKSHOP = "workshop", _("Workshop")
        BREAK = "break", _("Break")
        LUNCH = "lunch", _("Lunch")
        AOB = "aob", _("Any other business")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("erfa-day"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    section = models.CharField(_("section"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.TALK)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    duration = models.PositiveSmallIntegerField(
        _("minutes"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION)],
        help_text=_("1 to 600 minutes; the times follow from the order."),
    )
    presenter = models.ForeignKey(
        Agent, verbose_name=_("presenter (agent)"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="agenda_items",
    )
    speaker = models.ForeignKey(
        Speaker, verbose_name=_("presenter (speaker)"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="agenda_items",
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("projects"), blank=True, related_name="agenda_items"
    )
    material_url = models.URLField(_("material (link)"), blank=True)
    material_file = models.FileField(_("material (file)"), upload_to="material/", blank=True)
    notes = models.TextField(_("notes for the minutes"), max_length=10000, blank=True)
    decisions = models.TextField(_("decisions"), max_length=4000, blank=True)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gte=1, duration__lte=MAX_DURATION), name="item_duration"
            ),
            models.CheckConstraint(
                condition=Q(presenter__isnull=True) | Q(speaker__isnull=True),
                name="item_one_presenter",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="item_title_required"),
        ]

    def __str__(self):
        return self.title

    @property
    def presented_by(self):
        return self.presenter or self.speaker

    @property
    def material_type(self):
        """The content type the material file is served as, from its extension; a file of any
        other type (uploaded before the types were limited) is plain bytes to download."""
        extension = self.material_file.name.rpartition(".")[2].lower()
        return MATERIAL_TYPES.get(extension, "application/octet-stream")


class ActionQuerySet(models.QuerySet):
    def still_open(self):
        """Open actions by deadline, each with its owner and erfa-day. The erfa-day is only
        linked to: its frozen round, which can be large, stays in the database."""
        return (
            self.filter(done=False)
            .select_related("owner", "item__meeting")
            .defer("item__meeting__round_snapshot")
            .order_by("deadline", "pk")
        )


class Action(models.Model):
    """A follow-up action agreed at an erfa-day."""

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE,
        related_name="actions",
    )
    text = models.CharField(_("what"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="meeting_actions",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["done", "deadline", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self):
        return self.text


class TopicProposal(models.Model):
    class Kind(models.TextChoices):
        TALK = "talk", _("A talk")
        PROBLEM = "problem", _("A problem to discuss")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PLACED = "placed", _("On an agenda")
        BACKLOG = "backlog", _("In the backlog")

    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.SET_NULL,
        null=True, related_name="topic_proposals",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.TALK)
    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    item = models.OneToOneField(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="proposal",
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("topic proposal")
        verbose_name_plural = _("topic proposals")

    def __str__(self):
        return self.title


class Attendance(models.Model):
    class Response(models.TextChoices):
        INVITED = "invited", _("Invited")
        COMING = "coming", _("Coming")
        NOT_COMING = "not_coming", _("Not coming")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    response = models.CharField(
        _("answer"), max_length=16, choices=Response, default=Response.INVITED
    )
    attended = models.BooleanField(_("attended"), default=False)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user__first_name", "user__last_name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_unique"),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_response_display()}"


def new_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A personal, secret calendar address; replacing the token revokes the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("meetings:feed", args=[self.token])


def item_times(meeting, items):
    """Start and end of each item from the order and durations; True if the day overruns."""
    start = datetime.combine(meeting.date, meeting.start_time)
    end_of_day = datetime.combine(meeting.date, meeting.end_time)
    rows = []
    for item in items:
        end = start + timedelta(minutes=item.duration)
        rows.append((item, start.time(), end.time()))
        start = end
    return rows, start > end_of_day, start.time()
