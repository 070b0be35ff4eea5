"""Single sign-on with the municipality's work accounts (OpenID Connect).

social-auth-app-django speaks the protocol: it sends the browser to the identity provider
with state, nonce and PKCE, and checks the ID token's signature, issuer, audience, expiry and
nonce when it comes back. What AgentNet does with the person who signed in is here, as the
steps of its pipeline (settings.SOCIAL_AUTH_PIPELINE):

1. refuse_disabled_account: the identity provider says the account is closed.
2. find_person: the user linked to the provider's subject id; failing that, the user with
   the same verified e-mail address; a deactivated user is refused.
3. create_person: someone unknown becomes a plain user (not an agent), whom the facilitator
   sees under "Nye brugere" (agents.views.new_users).
4. remember_sign_in: when, and the ID token that signing out hands back to the provider.
5. update_person: name and verified e-mail as the provider has them.
6. sync_roles: the app roles in the token (Facilitator, Leder) set those groups, added and
   removed, each change kept as a RoleChange.
7. sync_manager: where HR's data gives the person's manager (OIDC_MANAGER_CLAIM, e.g.
   manager_email), the agent's manager is set from it by services.change_manager(), which
   keeps the change and mails the agent.
"""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from social_core.backends.open_id_connect import OpenIdConnectAuth
from social_core.exceptions import (
    AuthCanceled,
    AuthPolicyError,
    AuthProviderError,
    AuthResponseError,
    AuthSessionError,
    SocialAuthBaseException,
)
from social_django.models import UserSocialAuth
from social_django.utils import load_backend, load_strategy

from agents import services
from agents.models import (
    FACILITATOR,
    MANAGER,
    NAME_MAX,
    Agent,
    ManagerChange,
    RoleChange,
    User,
)

logger = logging.getLogger(__name__)

PROVIDER = "oidc"
# The backend's path, as a session signed in by it names it.
BACKEND = "agents.sso.WorkAccount"


class WorkAccount(OpenIdConnectAuth):
    """The municipality's identity provider: Entra ID, AD FS or OS2faktor Login."""

    name = PROVIDER
    DEFAULT_USE_PKCE = True

    def get_user(self, user_id):
        # The user of each request is read as after a password sign-in: not at all once
        # they are deactivated (social-auth's own look-up would still let them in).
        return ModelBackend().get_user(user_id)


def is_enabled():
    return settings.SSO_ENABLED


def password_form_for_everyone():
    """Whether the sign-in page offers the password form to all (not only to superusers)."""
    return not settings.SSO_ONLY


class SignInRefused(AuthPolicyError):
    """A sign-in that the provider vouched for but AgentNet will not let in; `reason` is
    what the person is told."""

    def __init__(self, backend, reason, code):
        super().__init__(backend, code=code, stage="pipeline")
        self.reason = reason


def refusal_message(error):
    """What the sign-in page says about a failed single sign-on."""
    if isinstance(error, SignInRefused):
        return error.reason
    if isinstance(error, AuthCanceled):
        return _(
            "The sign-in was cancelled or refused at your work account. If your account is "
            "closed, contact the IT department."
        )
    if isinstance(error, AuthSessionError) or error.code in ("state_mismatch", "state_missing"):
        return _("The sign-in had expired or was already used. Try again.")
    if isinstance(error, AuthProviderError):
        return _("Your work account's sign-in service does not answer. Try again later.")
    if isinstance(error, AuthResponseError):
        return _(
            "The answer from your work account's sign-in service could not be trusted, so you "
            "were not signed in. Try again, or contact the IT department."
        )
    return _("You could not be signed in with your work account. Try again.")


def log_refusal(error):
    logger.warning(
        "Single sign-on refused: code=%s stage=%s %s", error.code, error.stage, error.detail
    )


def claims_of(backend, response):
    """The person's claims: those of the checked ID token, then those only the provider's
    user-info answer has (Entra puts app roles in the token only)."""
    return {**response, **(backend.id_token or {})}


# The claim an identity provider can send for a closed account (Entra's user property
# accountEnabled, sent as an optional claim by a claims mapping).
ACCOUNT_ENABLED_CLAIM = "account_enabled"


def refuse_disabled_account(backend, response, *args, **kwargs):
    if claims_of(backend, response).get(ACCOUNT_ENABLED_CLAIM) is False:
        raise SignInRefused(
            backend,
            _("Your work account is closed, so you cannot sign in. Contact the IT department."),
            code="account_disabled",
        )


def _email_verified(claims):
    # email_verified is the standard claim; Entra says the same with xms_edov (the e-mail's
    # domain is one the municipality has verified), as its e-mail claim may be typed by a
    # user. Only a verified address may find an existing person.
    return claims.get("email_verified") is True or claims.get("xms_edov") is True


def find_person(backend, uid, details, response, *args, **kwargs):
    """The existing user this sign-in belongs to, or None. Whoever is signed in in the
    browser does not count: only the provider's subject id and verified e-mail do."""
    social = UserSocialAuth.objects.select_related("user").filter(
        provider=backend.name, uid=uid
    ).first()
    user = social.user if social else None
    email = (details.get("email") or "").strip()
    if user is None and email:
        verified = _email_verified(claims_of(backend, response))
        user = _user_by_email(backend, email, verified=verified)
    if user is not None and not user.is_active:
        raise SignInRefused(
            backend,
            _("Your user in AgentNet is deactivated. Contact the facilitator if that is a "
              "mistake."),
            code="user_inactive",
        )
    return {"user": user, "social": social, "is_new": False}


def _user_by_email(backend, email, *, verified):
    matches = list(User.objects.filter(email__iexact=email)[:2])
    if not matches:
        return None
    not_linked = _(
        "Your work account could not be linked to your user in AgentNet. Contact the "
        "facilitator."
    )
    if not verified:
        raise SignInRefused(backend, not_linked, code="email_not_verified")
    if len(matches) > 1:
        raise SignInRefused(backend, not_linked, code="email_ambiguous")
    user = matches[0]
    # A user already linked to another work account is not taken over by a second one that
    # happens to carry the same address (an address can be handed on to someone else).
    if UserSocialAuth.objects.filter(provider=backend.name, user=user).exists():
        raise SignInRefused(backend, not_linked, code="email_linked_elsewhere")
    return user


def create_person(backend, details, response, user=None, *args, **kwargs):
    if user is not None:
        return None
    claims = claims_of(backend, response)
    email = (details.get("email") or "").strip()
    first_name, last_name = _names(details, email)
    user = User(
        username=_free_username(details.get("username") or email or first_name),
        first_name=first_name,
        last_name=last_name,
        email=email if _email_verified(claims) else "",
    )
    # They sign in with their work account; a password is theirs to choose only by the
    # link of "Glemt din adgangskode".
    user.await_first_password()
    user.save()
    logger.info("Single sign-on created user %s", user.pk)
    return {"user": user, "is_new": True}


def _names(details, email):
    first_name = (details.get("first_name") or "").strip()[:NAME_MAX]
    last_name = (details.get("last_name") or "").strip()[:NAME_MAX]
    if not first_name:
        # A name is required across the portal: the address's local part stands in until
        # the facilitator (or the next sign-in with a name) corrects it.
        first_name = (email.split("@")[0] or str(_("New user")))[:NAME_MAX]
    return first_name, last_name


def _free_username(wanted):
    base = "".join(c for c in wanted.lower() if c.isalnum() or c in "@.+-_")[:140] or "bruger"
    username, number = base, 1
    while User.objects.filter(username__iexact=username).exists():
        number += 1
        username = f"{base}{number}"
    return username


def remember_sign_in(backend, social, response, *args, **kwargs):
    """Keep the ID token (signing out hands it back to the provider as a hint) and, by the
    save, when the person last signed in this way. Access and refresh tokens are not kept:
    AgentNet calls no API on the person's behalf."""
    social.extra_data = {"id_token": response.get("id_token", "")}
    social.save(update_fields=["extra_data", "modified"])


def update_person(backend, user, details, response, *args, **kwargs):
    """The name and the verified e-mail address as the identity provider has them now: a
    changed address keeps the same person (found by subject id)."""
    claims = claims_of(backend, response)
    changed = {}
    for field in ("first_name", "last_name"):
        value = (details.get(field) or "").strip()[:NAME_MAX]
        if value and value != getattr(user, field):
            changed[field] = value
    email = (details.get("email") or "").strip()
    if email and _email_verified(claims) and email.lower() != user.email.lower():
        changed["email"] = email
    if changed:
        with transaction.atomic():
            for field, value in changed.items():
                setattr(user, field, value)
            user.save(update_fields=list(changed))


# The app roles that are groups in AgentNet, by their value in the token.
ROLES = (FACILITATOR, MANAGER)


def sync_roles(backend, user, response, *args, **kwargs):
    """The groups Facilitator and Leder as the token's app roles say, on every sign-in: a
    role taken away at the identity provider is taken away here at the next sign-in. Entra
    leaves the claim out when a person has no app role, so a missing claim means none.
    OIDC_ROLES_CLAIM="" leaves the groups to AgentNet's admin."""
    claim = settings.OIDC_ROLES_CLAIM
    if not claim:
        return
    value = claims_of(backend, response).get(claim, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise AuthResponseError(backend, code="invalid_claim", claim=claim, stage="pipeline")
    set_roles(user, {role for role in ROLES if role in value}, how=RoleChange.How.SSO)


@transaction.atomic
def set_roles(user, roles, *, how, by=None):
    """Give `user` exactly `roles` of ROLES (other groups stay) and keep each change."""
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLES)}
    current = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    added, removed = sorted(set(groups) & (roles - current)), sorted(current - roles)
    if not (added or removed):
        return []
    user.groups.add(*(groups[name] for name in added))
    user.groups.remove(*(groups[name] for name in removed))
    # The facilitator works in the admin too; staff status follows the role given here
    # (a superuser stays staff).
    staff = FACILITATOR in roles or user.is_superuser
    if staff != user.is_staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    return RoleChange.objects.bulk_create(
        [RoleChange(user=user, role=name, added=True, changed_by=by, how=how) for name in added]
        + [RoleChange(user=user, role=name, added=False, changed_by=by, how=how)
           for name in removed]
    )


def manager_from_provider():
    """Whether managers come from HR's data at sign-in (and so from no form)."""
    return settings.SSO_ENABLED and bool(settings.OIDC_MANAGER_CLAIM)


def sync_manager(backend, user, response, *args, **kwargs):
    """The agent's manager as HR's data in the token says: the user with that e-mail
    address (an empty claim: no manager). A token without the claim, a person who is no
    agent, or a manager AgentNet does not know (yet) leaves the manager as it is."""
    if not manager_from_provider():
        return
    claims = claims_of(backend, response)
    claim = settings.OIDC_MANAGER_CLAIM
    if claim not in claims:
        return
    agent = Agent.objects.filter(user=user).first()
    if agent is None:
        return
    email = claims[claim]
    if not isinstance(email, str):
        raise AuthResponseError(backend, code="invalid_claim", claim=claim, stage="pipeline")
    manager = None
    if email.strip():
        managers = list(User.objects.filter(email__iexact=email.strip(), is_active=True)[:2])
        if len(managers) != 1:
            logger.warning(
                "Single sign-on: %d users have the manager's address of user %s; the manager "
                "is left as it was.", len(managers), user.pk,
            )
            return
        manager = managers[0]
    try:
        services.change_manager(agent, manager, by=None, how=ManagerChange.How.SSO)
    except ValidationError:
        logger.warning("Single sign-on: user %s would manage themselves; left as it was.",
                       user.pk)


def end_session_url(request, user):
    """Where signing out sends the browser so that the identity provider ends its session
    too, or None (a password sign-in, or a provider without an end-session endpoint)."""
    if not is_enabled():
        return None
    social = UserSocialAuth.objects.filter(provider=PROVIDER, user=user).first()
    if social is None:
        return None
    backend = load_backend(load_strategy(request), PROVIDER, redirect_uri=None)
    try:
        endpoint = backend.oidc_config().get("end_session_endpoint")
    except SocialAuthBaseException:
        return None
    if not endpoint:
        return None
    params = {
        "client_id": backend.get_key_and_secret()[0],
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
    }
    if social.extra_data.get("id_token"):
        params["id_token_hint"] = social.extra_data["id_token"]
    return f"{endpoint}?{urlencode(params)}"


def new_users():
    """Users who signed in with their work account and have no agent profile."""
    return User.objects.filter(agent__isnull=True, social_auth__provider=PROVIDER)


def new_users_for_list():
    """new_users(), newest first, with when they last signed in and their groups (to tell a
    manager from a would-be agent)."""
    return (
        new_users()
        .annotate(last_sso=Max("social_auth__modified"))
        .prefetch_related("groups")
        .order_by("-date_joined", "pk")
    )
