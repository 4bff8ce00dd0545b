"""The scope policy: every scoped model's Wagtail permission policy, right outside any request."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from wagtail.permissions import policy_registry

from filings.standards.factories import DisclosedStandardFactory
from filings.standards.models import DisclosedStandard
from registry.factories import AdministratorFactory, EnterpriseAccountFactory, ManagedEnterpriseAccountFactory
from registry.models import Administrator, ChiefQualityOfficer, EnterpriseAccount, Role
from registry.officers.factories import OfficerFactory
from registry.policies import ScopePolicy
from registry.scoping import ScopedModelMixin, current_scope, scope
from tests.test_scoping_sweep import all_factories, organisation_of

pytestmark = pytest.mark.django_db

SCOPED_MODELS = [model for model in apps.get_models() if issubclass(model, ScopedModelMixin)]
#: The account proxies, scoped by their unit (an enterprise account's: its enterprise's), and their factories.
ACCOUNTS = {
    Administrator: AdministratorFactory,
    EnterpriseAccount: lambda organisation: ManagedEnterpriseAccountFactory(enterprise__region=organisation.division),
}


@pytest.mark.parametrize("model", [*SCOPED_MODELS, *ACCOUNTS], ids=lambda model: model._meta.label)
def test_every_scoped_model_is_governed_by_a_scope_policy(model):
    assert isinstance(policy_registry.get_by_type(model), ScopePolicy)


def sibling(unit):
    return unit.get_parent().get_children().exclude(pk=unit.pk).first()


@pytest.mark.parametrize("model", [*SCOPED_MODELS, *ACCOUNTS], ids=lambda model: model._meta.label)
def test_a_sibling_units_administrator_is_refused_outside_a_request(orgs, model):
    assert current_scope() is None  # no admin request: the default manager is not confined
    record = ACCOUNTS[model](organisation=orgs.changan) if model in ACCOUNTS else all_factories()[model]()
    unit = organisation_of(record)
    policy = policy_registry.get_by_type(model)
    own = AdministratorFactory(organisation=unit, role=Role.PROVINCIAL)
    other = AdministratorFactory(organisation=sibling(unit), role=Role.PROVINCIAL)
    action = next((a for a in ("view", "change") if policy.user_has_permission(other, a)), None)
    if action is None:
        pytest.skip(f"{model._meta.label}: the role holds no permission on the model")
    assert not policy.user_has_permission_for_instance(other, action, record)
    assert not policy.instances_user_has_permission_for(other, action).filter(pk=record.pk).exists()
    assert policy.user_has_permission_for_instance(own, action, record)
    assert policy.instances_user_has_permission_for(own, action).filter(pk=record.pk).exists()
    assert own in policy.users_with_permission_for_instance(action, record)
    assert other not in policy.users_with_permission_for_instance(action, record)


def test_a_portal_account_reaches_its_own_enterprises_records_only():
    mine, theirs = DisclosedStandardFactory(), DisclosedStandardFactory()
    account = EnterpriseAccountFactory(enterprise=mine.enterprise)
    policy = policy_registry.get_by_type(DisclosedStandard)
    assert list(policy.instances_user_has_permission_for(account, "view")) == [mine]
    assert policy.user_has_permission_for_instance(account, "view", mine)
    assert not policy.user_has_permission_for_instance(account, "view", theirs)
    assert not policy.instances_user_has_permission_for(account, "delete").exists()


@pytest.mark.parametrize("count", [2, 6])
def test_a_provinces_rows_are_checked_with_one_lookup_per_request(orgs, count, django_assert_num_queries):
    """Wagtail asks the policy row by row (a listing's edit links): a province's subtree (more units than a literal
    list holds) is one id set per admin request, not each row's organisation loaded."""
    counties = [orgs.changan, orgs.qiaoxi, *orgs.tangshan.get_children()[:2]]
    officers = [OfficerFactory(organisation=counties[i % len(counties)]) for i in range(count)]
    outsider = OfficerFactory(organisation=orgs.chaoyang)
    officers = list(ChiefQualityOfficer.unscoped.filter(pk__in=[o.pk for o in officers]))
    outsider = ChiefQualityOfficer.unscoped.get(pk=outsider.pk)
    province = AdministratorFactory(organisation=orgs.hebei, role=Role.PROVINCIAL)
    policy = policy_registry.get_by_type(ChiefQualityOfficer)
    policy.user_has_permission(province, "change")  # the user's permissions, cached on the user before counting
    with scope(orgs.hebei.path, unit=orgs.hebei), django_assert_num_queries(2):
        assert all(policy.user_has_permission_for_instance(province, "change", officer) for officer in officers)
        assert not policy.user_has_permission_for_instance(province, "change", outsider)


def test_only_an_enterprise_account_owns_its_enterprises_records():
    """An administrator whose role was taken away, with an enterprise left on the row, is not a portal account."""
    mine = DisclosedStandardFactory()
    account = EnterpriseAccountFactory(enterprise=mine.enterprise)
    policy = policy_registry.get_by_type(DisclosedStandard)
    account.kind, account.role = type(account).Kind.ADMINISTRATOR, ""
    assert not policy.user_has_permission_for_instance(account, "view", mine)
    assert not policy.instances_user_has_permission_for(account, "view").exists()


def test_an_officers_own_account_owns_its_record_and_an_enterprise_account_its_enterprises():
    """The training portal's officers (whom an account may enrol or examine) come from the policy's owner lookups."""
    from registry.factories import UserFactory
    from registry.models import User
    from registry.policies import owned, permitted

    mine, stranger = OfficerFactory(), OfficerFactory()
    own_account = UserFactory(kind=User.Kind.OFFICER)
    ChiefQualityOfficer.unscoped.filter(pk=mine.pk).update(account=own_account)
    enterprise_account = EnterpriseAccountFactory(enterprise=mine.enterprise)
    assert set(owned(own_account, ChiefQualityOfficer)) == {mine}
    assert set(permitted(own_account, ChiefQualityOfficer, "view")) == {mine}
    assert set(owned(enterprise_account, ChiefQualityOfficer)) == {mine}
    assert stranger not in set(permitted(enterprise_account, ChiefQualityOfficer, "view"))
    with pytest.raises(PermissionDenied):
        permitted(own_account, ChiefQualityOfficer, "change")
    # An officer's account with an enterprise left on its row owns no more than its own record.
    User.objects.filter(pk=own_account.pk).update(enterprise=stranger.enterprise)
    own_account.refresh_from_db()
    assert set(owned(own_account, ChiefQualityOfficer)) == {mine}
