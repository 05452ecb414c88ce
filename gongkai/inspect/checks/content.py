"""The content checks: what a page says (columns kept up to date, metadata, interpretations,
validity marks, personal data, site identifiers, reposts, wording). Each check is its own
module; this list is what `gongkai.inspect.checks.CHECKS` registers, in report order."""

from __future__ import annotations

from gongkai.inspect.checks.base import Check
from gongkai.inspect.checks.columns import EmptyColumn, HomepageNotUpdated, StaleColumn
from gongkai.inspect.checks.identifiers import MissingSiteIdentifier
from gongkai.inspect.checks.interpretation import MissingInterpretation
from gongkai.inspect.checks.metadata import MissingMetadata, MissingValidityMark
from gongkai.inspect.checks.privacy_leak import PrivacyLeak
from gongkai.inspect.checks.repost import RepostWithoutSource
from gongkai.inspect.checks.terms import TypoOrWrongTerm

CONTENT_CHECKS: list[type[Check]] = [
    HomepageNotUpdated,
    StaleColumn,
    EmptyColumn,
    MissingMetadata,
    MissingInterpretation,
    MissingValidityMark,
    PrivacyLeak,
    MissingSiteIdentifier,
    RepostWithoutSource,
    TypoOrWrongTerm,
]
