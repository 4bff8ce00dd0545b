"""Demo data for the registry: administrators of every role and enterprises across two provinces.

Each app that has demo data provides ``<app>.demo.load(demo)``; ``manage.py load_demo_data`` calls them
in INSTALLED_APPS order with one :class:`DemoSite` that collects the logins to print.
"""

from dataclasses import dataclass, field

from .factories import make_mobile, make_uscc
from .models import Division, EconomicType, Enterprise, IndustryCategory, Organisation, Role, User


@dataclass
class DemoSite:
    logins: list = field(default_factory=list)

    def announce(self, who, login, password, url="/admin/"):
        self.logins.append((who, login, password, url))

    def administrator(self, organisation, role, real_name, serial):
        """Create (or reset) a demo administrator with a fresh one-time password."""
        mobile = make_mobile(serial)
        user, _created = User.objects.get_or_create(
            username=mobile,
            defaults={"mobile": mobile, "kind": User.Kind.ADMINISTRATOR},
        )
        user.real_name, user.role, user.organisation = real_name, role, organisation
        user.email = f"admin{serial}@example.cn"
        password = user.issue_one_time_password()
        user.save()
        self.announce(f"{real_name}（{organisation.name}，{user.get_role_display()}）", mobile, password)
        return user


#: (division code or None for the tree root / national bureau, role, name)
ADMINISTRATORS = [
    (None, Role.PLATFORM, "平台运营"),
    ("national", Role.NATIONAL, "总局管理员"),
    ("130000", Role.PROVINCIAL, "河北省管理员"),
    ("130100", Role.INSTITUTION, "石家庄市管理员"),
    ("130102", Role.INSTITUTION, "长安区管理员"),
    ("130104", Role.INSTITUTION, "桥西区管理员"),
    ("110000", Role.PROVINCIAL, "北京市管理员"),
    ("110105", Role.INSTITUTION, "朝阳区管理员"),
]

ENTERPRISES = [
    ("河北钢铁质量示范有限公司", "130102", "3120", 2600, 520000, 800000, ["SOE"]),
    ("石家庄药业股份有限公司", "130104", "2720", 850, 36000, 52000, ["LISTED", "JSC"]),
    ("长安精密机械有限公司", "130102", "3421", 180, 1800, 2500, ["PRIVATE"]),
    ("唐山陶瓷制品有限公司", "130203", "3071", 420, 9000, 15000, ["PRIVATE"]),
    ("北京朝阳软件技术有限公司", "110105", "6513", 260, 12000, 9000, ["PRIVATE"]),
    ("北京食品检测服务有限公司", "110105", "7452", 45, 600, 900, ["MIXED"]),
    ("北京海淀电子科技有限公司", "110108", "3971", 1200, 60000, 70000, ["JOINT", "FOREIGN"]),
    ("河北建设工程集团有限公司", "130100", "4811", 3200, 120000, 150000, ["SOE", "MIXED"]),
]


def organisation_for(key):
    if key is None:
        return Organisation.objects.with_function(Organisation.PLATFORM_OPERATOR)
    if key == "national":
        return Organisation.objects.with_function(Organisation.NATIONAL_BUREAU)
    return Organisation.objects.get(division_id=key)


def load(demo):
    for serial, (key, role, name) in enumerate(ADMINISTRATORS, start=1):
        demo.administrator(organisation_for(key), role, name, serial)
    for serial, (name, region, industry, employees, revenue, assets, natures) in enumerate(ENTERPRISES, start=1):
        enterprise, _created = Enterprise.unscoped.update_or_create(
            uscc=make_uscc(serial, region),
            defaults={
                "name": name,
                "region": Division.objects.get(code=region),
                "industry": IndustryCategory.objects.get(code=industry),
                "employees": employees,
                "revenue": revenue,
                "assets": assets,
                "legal_representative": f"{name[:2]}法人",
                "registered_address": f"{Division.objects.get(code=region).full_name}示范路{serial}号",
            },
        )
        enterprise.economic_types.set(EconomicType.objects.filter(code__in=natures))

    from .officers import demo as officer_demo

    officer_demo.load(demo)
