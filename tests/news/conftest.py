import pytest

from home.site import build_site


@pytest.fixture
def portal(db):
    """The portal tree: home page, /news/ with the approval workflow, notices and policies."""
    return build_site()


@pytest.fixture
def admins(orgs, make_admin, portal):
    """One administrator per level along 长安区 → 石家庄市 → 河北省 → 总局 → 平台, plus neighbours."""
    from registry.models import Role

    class Admins:
        platform = make_admin(orgs.platform, Role.PLATFORM, email="platform@example.cn")
        national = make_admin(orgs.national, Role.NATIONAL, email="national@example.cn")
        hebei = make_admin(orgs.hebei, Role.PROVINCIAL, email="hebei@example.cn")
        shijiazhuang = make_admin(orgs.shijiazhuang, email="sjz@example.cn")
        tangshan = make_admin(orgs.tangshan, email="ts@example.cn")
        changan = make_admin(orgs.changan, email="changan@example.cn")
        changan_colleague = make_admin(orgs.changan, email="changan2@example.cn")
        qiaoxi = make_admin(orgs.qiaoxi, email="qiaoxi@example.cn")
        beijing = make_admin(orgs.beijing, Role.PROVINCIAL, email="bj@example.cn")

    return Admins
