"""The 23 headline offence groups of police recorded crime, defined once.

``heading`` is the column heading the Home Office / ONS table uses (compared whitespace-normalised
when a file is read); ``label`` is what people see, translatable. The order is the table's order,
and each group names its parent, so a profile can indent the hierarchy.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class OffenceGroup:
    key: str
    heading: str
    label: Promise
    parent: str | None = None


TOTAL = "total_recorded_crime"
VIOLENCE = "violence_against_the_person"
THEFT = "theft_offences"
BURGLARY = "burglary"

OFFENCE_GROUPS: tuple[OffenceGroup, ...] = (
    OffenceGroup(
        TOTAL, "Total recorded crime (excluding fraud)", _("Total recorded crime (excluding fraud)")
    ),
    OffenceGroup(VIOLENCE, "Violence against the person", _("Violence against the person"), TOTAL),
    OffenceGroup("homicide", "Homicide", _("Homicide"), VIOLENCE),
    OffenceGroup(
        "death_or_serious_injury_illegal_driving",
        "Death or serious injury caused by illegal driving",
        _("Death or serious injury caused by illegal driving"),
        VIOLENCE,
    ),
    OffenceGroup(
        "violence_with_injury", "Violence with injury", _("Violence with injury"), VIOLENCE
    ),
    OffenceGroup(
        "violence_without_injury", "Violence without injury", _("Violence without injury"), VIOLENCE
    ),
    OffenceGroup(
        "stalking_and_harassment", "Stalking and harassment", _("Stalking and harassment"), VIOLENCE
    ),
    OffenceGroup("sexual_offences", "Sexual offences", _("Sexual offences"), TOTAL),
    OffenceGroup("robbery", "Robbery", _("Robbery"), TOTAL),
    OffenceGroup(THEFT, "Theft offences", _("Theft offences"), TOTAL),
    OffenceGroup(BURGLARY, "Burglary", _("Burglary"), THEFT),
    OffenceGroup(
        "residential_burglary", "Residential burglary", _("Residential burglary"), BURGLARY
    ),
    OffenceGroup(
        "non_residential_burglary",
        "Non-residential burglary",
        _("Non-residential burglary"),
        BURGLARY,
    ),
    OffenceGroup("vehicle_offences", "Vehicle offences", _("Vehicle offences"), THEFT),
    OffenceGroup(
        "theft_from_the_person", "Theft from the person", _("Theft from the person"), THEFT
    ),
    OffenceGroup("bicycle_theft", "Bicycle theft", _("Bicycle theft"), THEFT),
    OffenceGroup("shoplifting", "Shoplifting", _("Shoplifting"), THEFT),
    OffenceGroup(
        "all_other_theft_offences", "All other theft offences", _("All other theft offences"), THEFT
    ),
    OffenceGroup(
        "criminal_damage_and_arson",
        "Criminal damage and arson",
        _("Criminal damage and arson"),
        TOTAL,
    ),
    OffenceGroup("drug_offences", "Drug offences", _("Drug offences"), TOTAL),
    OffenceGroup(
        "possession_of_weapons_offences",
        "Possession of weapons offences",
        _("Possession of weapons offences"),
        TOTAL,
    ),
    OffenceGroup(
        "public_order_offences", "Public order offences", _("Public order offences"), TOTAL
    ),
    OffenceGroup(
        "miscellaneous_crimes_against_society",
        "Miscellaneous crimes against society",
        _("Miscellaneous crimes against society"),
        TOTAL,
    ),
)

OFFENCE_KEYS: tuple[str, ...] = tuple(group.key for group in OFFENCE_GROUPS)
BY_KEY: dict[str, OffenceGroup] = {group.key: group for group in OFFENCE_GROUPS}


def level(key: str) -> int:
    """0 for the total, 1 for the groups that add up to it, 2 and 3 for their sub-groups."""
    depth, parent = 0, BY_KEY[key].parent
    while parent is not None:
        depth, parent = depth + 1, BY_KEY[parent].parent
    return depth


TOP_LEVEL_KEYS: tuple[str, ...] = tuple(g.key for g in OFFENCE_GROUPS if g.parent == TOTAL)
