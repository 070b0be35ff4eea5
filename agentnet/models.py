"""What the site keeps beside the apps: the mail outbox and each person's choice of mails.

Every app sends mail, so both sit below the apps (agentnet's helpers): an app imports them,
never the other way round."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Delivery(models.Model):
    """One mail to one person about one event: an erfa-day's invitation, a day's digest.

    The row is written before the mail is sent and is unique per recipient and event, so the
    same event never mails the same person twice, whoever queues it again (agentnet/outbox.py).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries",
        verbose_name=_("recipient"),
    )
    # What the mail is about ("meeting:12", "digest") and which event of it ("invite:0",
    # "update:2", "2026-12-08"): a new version of the event is a new mail.
    about = models.CharField(_("about"), max_length=64)
    event = models.CharField(_("event"), max_length=64)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    # [[file name, content, MIME type], …]: text attachments such as an erfa-day's .ics.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), auto_now_add=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("mail")
        verbose_name_plural = _("mails")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["about", "event", "recipient"], name="delivery_once_per_event"
            ),
        ]
        indexes = [
            # The erfa-day page asks how many of its mails failed.
            models.Index(
                fields=["about"], condition=Q(status="failed"), name="delivery_failed_about"
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    def message(self):
        message = EmailMessage(self.subject, self.body, to=[self.to])
        for name, content, mimetype in self.attachments:
            message.attach(name, content, mimetype)
        return message


class MailChoice(models.Model):
    """Which reminders a person gets in the daily digest (all by default), and in what
    language. Without a row the defaults hold."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
        related_name="mail_choice", verbose_name=_("user"),
    )
    digest = models.BooleanField(
        _("daily digest"), default=True,
        help_text=_("One mail on workday mornings with what is waiting for you."),
    )
    language = models.CharField(
        _("language of the mails"), max_length=8, choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    projects = models.BooleanField(_("my projects with no update for 60 days"), default=True)
    erfa_days = models.BooleanField(_("the next erfa-day I have not answered"), default=True)
    self_assessments = models.BooleanField(
        _("my self-assessment before the round's deadline"), default=True
    )
    reviews = models.BooleanField(
        _("self-assessments and talks waiting for me as manager"), default=True
    )
    goals = models.BooleanField(_("development goals due within 14 days"), default=True)
    actions = models.BooleanField(_("open follow-up actions from erfa-days"), default=True)
    weekly_summary = models.BooleanField(
        _("the network's state on Mondays (facilitators)"), default=True
    )

    class Meta:
        verbose_name = _("choice of mails")
        verbose_name_plural = _("choices of mails")

    def __str__(self):
        return str(self.user)


class Reminder(models.Model):
    """An item of the digest that was mailed to a person, so that it is mailed once: a stale
    project once for each time it went stale, a self-assessment 14 and again 3 days before
    the deadline (agentnet/due.py gives each item its key)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=80)
    mailed_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="reminder_once"),
        ]

    def __str__(self):
        return self.key
