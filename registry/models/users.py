"""One user model for every kind of account: administrators, enterprise accounts and officers."""

import secrets

from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..crypto import EncryptedCharField, KeyedHashField
from ..validators import validate_mobile, validate_resident_id


class Role(models.TextChoices):
    """Administrator roles of the seed back office, highest first."""

    PLATFORM = "platform", _("Platform administrator")
    NATIONAL = "national", _("National bureau administrator")
    PROVINCIAL = "provincial", _("Provincial administrator")
    INSTITUTION = "institution", _("Institution administrator")


ROLE_RANK = {Role.PLATFORM: 4, Role.NATIONAL: 3, Role.PROVINCIAL: 2, Role.INSTITUTION: 1}

#: The Django group that carries each role's permissions (created by a data migration).
ROLE_GROUP = {
    Role.PLATFORM: "平台管理员",
    Role.NATIONAL: "总局管理员",
    Role.PROVINCIAL: "省级管理员",
    Role.INSTITUTION: "机构管理员",
}

#: The lowest role: it fits every unit, and a new administrator's role unless another is chosen.
LOWEST_ROLE = Role.INSTITUTION


def fitting_roles(organisation):
    """The roles an administrator of ``organisation`` may hold: the lowest everywhere, and the one of its level.

    The level comes from the tree, never from a name: the root is the platform operator, a bureau right under it
    without a region is the national bureau, a unit whose region is a province is a provincial bureau.
    """
    from .organisations import Organisation
    from .reference import Division

    roles = {LOWEST_ROLE}
    if organisation is None:
        return roles
    if organisation.depth == 1:
        roles.add(Role.PLATFORM)
    elif organisation.depth == 2 and organisation.kind == Organisation.Kind.BUREAU and not organisation.division_id:
        roles.add(Role.NATIONAL)
    elif organisation.division_id and organisation.division.level == Division.Level.PROVINCE:
        roles.add(Role.PROVINCIAL)
    return roles


ONE_TIME_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_one_time_password(length=12):
    """A random password with letters and digits, free of look-alike characters."""
    while True:
        password = "".join(secrets.choice(ONE_TIME_PASSWORD_ALPHABET) for _ in range(length))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


class User(AbstractUser):
    """Administrators log in by mobile number; enterprise accounts by user name."""

    class Kind(models.TextChoices):
        ADMINISTRATOR = "admin", _("Administrator")
        ENTERPRISE = "enterprise", _("Enterprise account")
        OFFICER = "officer", _("Chief Quality Officer")

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    kind = models.CharField(_("account kind"), max_length=16, choices=Kind.choices, default=Kind.ADMINISTRATOR)
    mobile = models.CharField(
        _("mobile"), max_length=11, unique=True, null=True, blank=True, validators=[validate_mobile]
    )
    real_name = models.CharField(_("real name"), max_length=64, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    education = models.ForeignKey(
        "registry.EducationLevel", verbose_name=_("education"), null=True, blank=True, on_delete=models.PROTECT
    )
    major = models.CharField(_("major"), max_length=64, blank=True)
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    id_number = EncryptedCharField(
        _("resident ID number"), max_length=18, null=True, blank=True, validators=[validate_resident_id]
    )
    #: One account per resident ID number, enforced on the keyed hash (registry.crypto): the number is encrypted.
    id_number_hash = KeyedHashField(source="id_number", unique=True)
    must_change_password = models.BooleanField(
        _("must change password"), default=False, help_text=_("Set when a one-time password was issued.")
    )
    remarks = models.TextField(_("remarks"), blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.real_name or self.username

    def get_full_name(self):
        return self.real_name or self.username

    def get_short_name(self):
        return self.real_name or self.username

    @property
    def is_administrator(self):
        return self.kind == self.Kind.ADMINISTRATOR and bool(self.role)

    @property
    def role_rank(self):
        if self.is_superuser:
            return max(ROLE_RANK.values()) + 1
        return ROLE_RANK.get(self.role, 0)

    def can_manage(self, other):
        """Whether this administrator may edit, disable or reset ``other``."""
        if self.is_superuser:
            return True
        if not self.is_administrator or other.organisation is None or self.organisation is None:
            return False
        return other.organisation.is_within(self.organisation) and other.role_rank <= self.role_rank

    def issue_one_time_password(self):
        """Set a random password that must be changed at next login; return it to show once."""
        password = generate_one_time_password()
        self.set_password(password)
        self.must_change_password = True
        return password

    def save(self, *args, **kwargs):
        if self.kind == self.Kind.ADMINISTRATOR and self.mobile and not self.username:
            self.username = self.mobile
        super().save(*args, **kwargs)
        self.sync_role_group()

    def sync_role_group(self):
        """Keep exactly the role's group among the role groups, so permissions follow the role."""
        role_groups = Group.objects.filter(name__in=ROLE_GROUP.values())
        wanted = ROLE_GROUP.get(self.role) if self.is_administrator else None
        self.groups.remove(*[g for g in role_groups if g.name != wanted])
        if wanted:
            group = next((g for g in role_groups if g.name == wanted), None)
            if group is not None:
                self.groups.add(group)


class AdministratorManager(UserManager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=User.Kind.ADMINISTRATOR)


class Administrator(User):
    """Administrators as managed in the back office (a proxy, so its permissions are its own)."""

    objects = AdministratorManager()

    class Meta:
        proxy = True
        verbose_name = _("administrator")
        verbose_name_plural = _("administrators")


class EnterpriseAccountManager(UserManager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=User.Kind.ENTERPRISE)


class EnterpriseAccount(User):
    """Enterprise accounts as bureaus maintain them (contact, mobile, enabled): a proxy with its own permissions,
    reached through the enterprise's supervising bureau."""

    scope_lookup = "enterprise__organisation"

    objects = EnterpriseAccountManager()

    class Meta:
        proxy = True
        verbose_name = _("enterprise account")
        verbose_name_plural = _("enterprise accounts")
