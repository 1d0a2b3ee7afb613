"""Demo population: users for every role, partners of all 12 entity types in dozens of countries, every status.

Everything is written through the services, so the demo has a real audit trail.
"""

from __future__ import annotations

import datetime as dt
import random
import string

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from greenlane.accounts.choices import StaffRole, TradeRole
from greenlane.accounts.models import FieldOffice, User
from greenlane.accounts.services import user_create
from greenlane.audit.services import record_event

from . import eligibility, services
from .choices import EntityType, PartnerStatus, TransportMode
from .demo_names import NAME_A, NAME_B, SUFFIX
from .identifiers import luhn_valid
from .models import Partner

DEMO_PASSWORD = "demo-password-2026"
STAFF_LOGINS = [
    ("scs@demo.example", "Sam Specialist", StaffRole.SCS, "new-york"),
    ("scs2@demo.example", "Mia Torres", StaffRole.SCS, "miami"),
    ("scs3@demo.example", "Lee Chen", StaffRole.SCS, "los-angeles"),
    ("supervisor@demo.example", "Dana Supervisor", StaffRole.SUPERVISORY_SCS, "new-york"),
    ("vetting@demo.example", "Victor Vetting", StaffRole.VETTING_OFFICER, "washington-dc"),
    ("manager@demo.example", "Morgan Manager", StaffRole.PROGRAM_MANAGER, "washington-dc"),
    ("intel@demo.example", "Ines Analyst", StaffRole.INTELLIGENCE_ANALYST, "washington-dc"),
    ("targeting@demo.example", "Tom Targeting", StaffRole.TARGETING_OFFICER, "los-angeles"),
    ("auditor@demo.example", "Avery Auditor", StaffRole.AUDITOR, "washington-dc"),
    ("admin@demo.example", "Ada Admin", StaffRole.SYSTEM_ADMIN, "washington-dc"),
]
TRADE_LOGINS = [
    ("officer@demo.example", "Olivia Officer", TradeRole.COMPANY_OFFICER),
    ("companyadmin@demo.example", "Carl Admin", TradeRole.COMPANY_ADMIN),
    ("contributor@demo.example", "Cora Contributor", TradeRole.CONTRIBUTOR),
    ("consultant@demo.example", "Connor Consultant", TradeRole.CONSULTANT),
]

COUNTRIES: dict[str, list[str]] = {
    "importer": ["US", "US", "US", "CA"],
    "exporter": ["US"],
    "customs_broker": ["US"],
    "consolidator": ["US", "US", "HK", "CN", "DE", "NL"],
    "third_party_logistics": ["US", "US", "CA"],
    "air_carrier": ["US", "DE", "AE", "KR", "JP", "FR", "GB", "QA", "TR"],
    "sea_carrier": ["DK", "CH", "FR", "SG", "TW", "CN", "KR", "DE", "JP", "IL"],
    "rail_carrier": ["US", "CA", "MX"],
    "highway_carrier": ["US", "US", "CA", "MX"],
    "mexican_long_haul_carrier": ["MX"],
    "foreign_manufacturer": [
        "MX",
        "MX",
        "CA",
        "CN",
        "VN",
        "IN",
        "DE",
        "IT",
        "BR",
        "CO",
        "GT",
        "HN",
        "SV",
        "TH",
        "KR",
        "JP",
        "TW",
        "BD",
        "PK",
        "TR",
        "ID",
        "MY",
        "PH",
        "KH",
        "DO",
        "CR",
        "PE",
        "CL",
    ],
    "marine_port_terminal_operator": ["US", "US", "PA", "NL", "BE", "SG", "ES"],
}
CITIES = {
    "US": ("Newark", "NJ"),
    "CA": ("Toronto", "ON"),
    "MX": ("Monterrey", "NL"),
    "CN": ("Shenzhen", "GD"),
    "DE": ("Hamburg", ""),
    "VN": ("Ho Chi Minh City", ""),
    "IN": ("Chennai", "TN"),
}
# Final statuses and how to reach them from submitted.
PATHS: dict[str, list[str]] = {
    PartnerStatus.DRAFT: [],
    PartnerStatus.SUBMITTED: [PartnerStatus.SUBMITTED],
    PartnerStatus.UNDER_REVIEW: [PartnerStatus.SUBMITTED, PartnerStatus.UNDER_REVIEW],
    PartnerStatus.CERTIFIED: [PartnerStatus.SUBMITTED, PartnerStatus.UNDER_REVIEW, PartnerStatus.CERTIFIED],
    PartnerStatus.DENIED: [PartnerStatus.SUBMITTED, PartnerStatus.UNDER_REVIEW, PartnerStatus.DENIED],
    PartnerStatus.SUSPENDED: [PartnerStatus.SUBMITTED, PartnerStatus.CERTIFIED, PartnerStatus.SUSPENDED],
    PartnerStatus.REMOVED: [PartnerStatus.SUBMITTED, PartnerStatus.CERTIFIED, PartnerStatus.REMOVED],
    PartnerStatus.WITHDRAWN: [PartnerStatus.SUBMITTED, PartnerStatus.WITHDRAWN],
}
STATUS_WEIGHTS = [
    (PartnerStatus.CERTIFIED, 50),
    (PartnerStatus.DRAFT, 10),
    (PartnerStatus.SUBMITTED, 10),
    (PartnerStatus.UNDER_REVIEW, 10),
    (PartnerStatus.DENIED, 5),
    (PartnerStatus.SUSPENDED, 6),
    (PartnerStatus.REMOVED, 4),
    (PartnerStatus.WITHDRAWN, 5),
]
REASONS: dict[str, str] = {
    PartnerStatus.UNDER_REVIEW: "Specialist review opened.",
    PartnerStatus.CERTIFIED: "Application meets the program requirements; vetting clear.",
    PartnerStatus.DENIED: "Unresolved compliance history found in vetting.",
    PartnerStatus.SUSPENDED: "Security incident: narcotics found in a conveyance.",
    PartnerStatus.REMOVED: "Failed to correct findings after suspension.",
    PartnerStatus.WITHDRAWN: "The company asked to leave the program.",
}


def _letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(n))


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _bn(rng: random.Random) -> str:
    while True:
        digits = _digits(rng, 9)
        if luhn_valid(digits):
            return digits + "RM0001"


def identifiers_for(
    entity_type: str, country: str, n: int, rng: random.Random
) -> list[services.IdentifierInput]:
    def scac() -> str:
        a, b = divmod(n, 26 * 26)
        return (
            "Q"
            + string.ascii_uppercase[a % 26]
            + string.ascii_uppercase[(b // 26) % 26]
            + string.ascii_uppercase[b % 26]
        )

    ein = f"{rng.choice(['12', '20', '27', '33', '45', '52', '81', '94'])}-{n:07d}"
    out: dict[str, list[tuple[str, str]]] = {
        "importer": [("ior", f"{ein}{_letters(rng, 2)}"), ("ein", ein)],
        "exporter": [("ein", ein), ("duns", f"{n:09d}")],
        "customs_broker": [("ein", ein)],
        "consolidator": [("fmc_org", f"{n % 1000000:06d}N"), ("ein", ein)],
        "third_party_logistics": [("ein", ein), ("duns", f"{n:09d}")],
        "air_carrier": [("iata", string.ascii_uppercase[n % 26] + string.ascii_uppercase[(n // 26) % 26])],
        "sea_carrier": [("scac", scac())],
        "rail_carrier": [("scac", scac())],
        "highway_carrier": [("scac", scac()), ("dot", f"{100000 + n % 900000:06d}")],
        "mexican_long_haul_carrier": [
            (
                "rfc",
                f"{_letters(rng, 3)}{rng.randint(80, 99)}{rng.randint(1, 12):02d}"
                f"{rng.randint(1, 28):02d}{_letters(rng, 2)}{rng.randint(1, 9)}",
            ),
            ("sct", f"SCT{n:08d}"),
        ],
        "foreign_manufacturer": [
            ("mid", f"{country}{_letters(rng, 6)}{rng.randint(1, 9999)}{_letters(rng, 3)}")
        ],
        "marine_port_terminal_operator": [("fmc_org", f"{(n * 7) % 1000000:06d}")],
    }
    items = out[entity_type]
    if country == "CA":
        items.append(("cbsa_bn", _bn(rng)))
    if country in {"DE", "FR", "NL", "BE", "IT", "ES"}:
        items.append(("eori", f"{country}{_digits(rng, 10)}"))
    return [services.IdentifierInput(t, v) for t, v in items]


def ensure_users() -> dict[str, User]:
    users: dict[str, User] = {}
    for email, name, role, office in STAFF_LOGINS:
        user = User.objects.filter(email=email).first() or user_create(
            actor=None,
            email=email,
            password=DEMO_PASSWORD,
            full_name=name,
            staff_role=role,
            field_office=FieldOffice.objects.get(code=office),
        )
        users[email] = user
        if settings.DEMO_MODE:
            _demo_totp(user)
    for email, name, _role in TRADE_LOGINS:
        users[email] = User.objects.filter(email=email).first() or user_create(
            actor=None, email=email, password=DEMO_PASSWORD, full_name=name, verified=True
        )
    return users


def _demo_totp(user: User) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.get_or_create(
        user=user, name="demo", defaults={"key": settings.DEMO_TOTP_SECRET_HEX, "confirmed": True}
    )


def _build_partner(
    n: int, entity_type: str, status: str, officer: User, staff: dict[str, User], rng: random.Random
) -> Partner:
    country = rng.choice(COUNTRIES[entity_type])
    name = f"{rng.choice(NAME_A)} {rng.choice(NAME_B[entity_type])} {SUFFIX.get(country, 'Ltd.')}"
    answers = {q.code: rng.random() > 0.04 for q in eligibility.questions_for(entity_type)}
    modes = sorted(rng.sample(TransportMode.values, k=rng.randint(1, 3)))
    partner = services.partner_create(
        actor=officer,
        entity_type=entity_type,
        legal_name=name,
        country=country,
        role=TradeRole.COMPANY_OFFICER,
        identifiers=identifiers_for(entity_type, country, n, rng),
        business_start_date=dt.date(rng.randint(1950, 2022), rng.randint(1, 12), rng.randint(1, 28)),
        employee_count=rng.choice([8, 25, 60, 140, 400, 1200, 5000]),
        modes_of_transport=modes,
        eligibility=answers,
        website=f"https://www.example.com/{n}",
        phone=f"+1 555 01{n % 100:02d}",
        business_history="Family-owned business that grew into international trade.",
    )
    city, region = CITIES.get(country, ("Capital City", ""))
    services.site_add(
        actor=officer,
        partner_id=partner.pk,
        kind="headquarters",
        name="Head office",
        street=f"{rng.randint(1, 999)} Commerce Street",
        city=city,
        region=region,
        postal_code=_digits(rng, 5),
        country=country,
    )
    if rng.random() < 0.5:
        services.site_add(
            actor=officer,
            partner_id=partner.pk,
            kind="cargo_facility",
            name="Main warehouse",
            street=f"{rng.randint(1, 999)} Dock Road",
            city=city,
            region=region,
            country=country,
        )
    services.contact_add(
        actor=officer,
        partner_id=partner.pk,
        kind="primary",
        name=officer.full_name,
        title="Security Manager",
        email=officer.email,
        phone="+1 555 0100",
    )
    path = PATHS[status]
    _fill_profile(officer, partner, rng, complete=bool(path))
    if path:
        services.agreement_sign(
            actor=officer,
            partner_id=partner.pk,
            name=officer.full_name,
            title="Security Manager",
            accept=True,
        )
        services.partner_submit(actor=officer, partner_id=partner.pk)
        supervisor = staff["supervisor@demo.example"]
        scs = rng.choice([staff["scs@demo.example"], staff["scs2@demo.example"], staff["scs3@demo.example"]])
        services.partner_assign_scs(
            actor=supervisor, partner_id=partner.pk, scs_id=scs.pk, reason="Demo workload"
        )
        for target in path[1:]:
            _move(target, partner, officer=officer, scs=scs, manager=staff["manager@demo.example"])
    return partner


def _move(target: str, partner: Partner, *, officer: User, scs: User, manager: User) -> None:
    from greenlane.screening import lifecycle

    if target == PartnerStatus.WITHDRAWN:
        services.partner_withdraw(actor=officer, partner_id=partner.pk, reason=REASONS[target])
    elif target == PartnerStatus.SUSPENDED:
        lifecycle.suspension_start(
            actor=scs,
            partner_id=partner.pk,
            cause="security_incident",
            benefits=["risk_score_credit", "fewer_exams", "fast_lane"],
            reason=REASONS[target],
        )
    elif target == PartnerStatus.REMOVED:
        lifecycle.partner_remove(
            actor=manager, partner_id=partner.pk, cause="security_incident", reason=REASONS[target]
        )
    else:
        services.partner_transition(
            actor=scs, partner_id=partner.pk, to_status=target, reason=REASONS[target]
        )


NARRATIVES = [
    "Written procedure {code} is in our security manual, reviewed yearly by the security committee.",
    "We meet {code} at every site; records are kept for two years and checked in internal audits.",
    "{code} is covered by a documented process owned by the logistics manager, with training records.",
]


def _fill_profile(officer: User, partner: Partner, rng: random.Random, *, complete: bool) -> None:
    """Answer the security profile: mostly implemented, some gaps with plans; submit it when complete."""
    from greenlane.profiles import selectors as profile_selectors
    from greenlane.profiles import services as profile_services

    _access, profile = profile_services.profile_ensure(actor=officer, partner_id=partner.pk)
    items = []
    for answer in profile_selectors.answers(profile):
        code, level = answer.criterion.code, answer.criterion.level
        roll = rng.random()
        if not complete and roll < 0.45:
            continue
        if level == "should" and roll < 0.08:
            continue
        if roll < 0.06:
            items.append(
                profile_services.AnswerInput(
                    code,
                    "not_applicable",
                    justification=(
                        "This activity is carried out by our certified logistics provider, not by us."
                    ),
                )
            )
        elif roll < 0.14:
            items.append(
                profile_services.AnswerInput(
                    code,
                    "partially_implemented",
                    narrative=f"Procedure for {code} exists at the main site only.",
                    action_plan={
                        "owner": officer.full_name,
                        "steps": "Roll the procedure out to every site; train staff.",
                        "due_date": (
                            timezone.localdate() + dt.timedelta(days=rng.randint(30, 180))
                        ).isoformat(),
                    },
                )
            )
        else:
            items.append(
                profile_services.AnswerInput(
                    code, "implemented", narrative=rng.choice(NARRATIVES).format(code=code)
                )
            )
    profile_services.answers_bulk_save(actor=officer, partner_id=partner.pk, items=items, source="demo")
    if complete:
        profile_services.profile_submit(actor=officer, partner_id=partner.pk)


@transaction.atomic
def seed(partners: int = 160, seed_value: int = 2004) -> dict[str, int]:
    rng = random.Random(seed_value)
    from django.core.management import call_command

    call_command("load_criteria", verbosity=0)
    users = ensure_users()
    officer = users["officer@demo.example"]
    types = list(EntityType.values)
    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
    start = Partner.objects.count()
    built = 0
    for i in range(partners):
        n = start + i + 1
        # Every type and every status appear early, then a realistic mix.
        entity_type = types[i % len(types)] if i < 24 else rng.choice(types)
        status = (
            STATUS_WEIGHTS[i % len(STATUS_WEIGHTS)][0]
            if i < len(STATUS_WEIGHTS) * 3
            else rng.choice(statuses)
        )
        _build_partner(n, entity_type, status, officer, users, rng)
        built += 1
    _demo_companies(users, rng)
    from greenlane.vetting.demo import seed_compliance  # vetting builds on partners

    seed_compliance(list(Partner.objects.order_by("id")), rng)
    _seed_apps(rng)
    record_event(actor=None, action="demo.seed", summary=f"Demo data: {built} partners")
    return {"partners": Partner.objects.count(), "users": User.objects.count()}


# Later apps add their demo records after the partners exist, in this order (each module's seed_demo(rng)).
DEMO_SEEDERS = [
    "greenlane.validations.demo",
    "greenlane.validations.planning.demo",
    "greenlane.mra.demo",
    "greenlane.svi.demo",
    "greenlane.bpregister.demo",
    "greenlane.comms.demo",
    "greenlane.community.demo",
    "greenlane.training.demo",
    "greenlane.metrics.demo",
    "greenlane.metrics.workforce.demo",
]


def _seed_apps(rng: random.Random) -> None:
    import importlib
    import importlib.util

    for module in DEMO_SEEDERS:
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module).seed_demo(rng)


def _demo_companies(users: dict[str, User], rng: random.Random) -> None:
    """Give the other trade logins a place in two companies: one certified, one draft they prepare."""
    officer = users["officer@demo.example"]
    certified = (
        Partner.objects.filter(status=PartnerStatus.CERTIFIED, entity_type="importer").order_by("id").first()
    )
    draft = (
        Partner.objects.filter(status=PartnerStatus.DRAFT, entity_type="foreign_manufacturer")
        .order_by("id")
        .first()
    )
    for partner in [p for p in (certified, draft) if p]:
        for email, role in (
            ("companyadmin@demo.example", TradeRole.COMPANY_ADMIN),
            ("contributor@demo.example", TradeRole.CONTRIBUTOR),
            ("consultant@demo.example", TradeRole.CONSULTANT),
        ):
            if not partner.memberships.filter(user=users[email]).exists():
                services.membership_add(actor=officer, partner_id=partner.pk, email=email, role=role)
