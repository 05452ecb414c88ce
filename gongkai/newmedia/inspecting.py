"""The register's accounts as an inspection sees them (gongkai.inspection.actions.build_config):
the open accounts of a site's unit and of the units under it."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from gongkai.inspect.config import NewMediaAccount
from gongkai.newmedia.models import Account
from gongkai.reports.counting import subtree_ids


def portal_anchor(account: Account) -> str:
    """The account's place on the portal's 政务新媒体 page (absolute under GONGKAI_BASE_URL)."""
    return f"{settings.BASE_URL}{reverse('xmt:index')}#account-{account.pk}"


def accounts_for_unit(unit_id: int) -> list[NewMediaAccount]:
    """The open accounts of `unit_id` and every unit below it, in the register's order."""
    found = Account.objects.open().of_units(subtree_ids(unit_id)).select_related("unit")
    return [
        NewMediaAccount(
            name=a.name,
            url=a.url,
            platform=a.get_platform_display(),
            last_post=a.last_post_on.isoformat() if a.last_post_on else "",
            page=portal_anchor(a),
        )
        for a in found
    ]


def owners_by_address(unit_id: int) -> dict[str, int]:
    """Each open account's address and portal anchor → the account's own unit, for routing an
    inspection's new_media_stale finding to the unit that runs the account (the site belongs to
    its parent unit)."""
    found = Account.objects.open().of_units(subtree_ids(unit_id))
    owners: dict[str, int] = {}
    for account in found:
        owners[portal_anchor(account)] = int(account.unit_id)
        if account.url:
            owners.setdefault(account.url, int(account.unit_id))
    return owners
