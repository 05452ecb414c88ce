"""Evidence files and links. (Being written: see the contract in actions.submit_report.)"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile

from gongkai.work.actions import WorkRejected


class EvidenceRejected(WorkRejected):
    """The upload was refused; the message says why."""


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    filename: str
    content_type: str
    size: int
    sha256: str


def save_evidence_file(upload: UploadedFile) -> StoredFile:
    raise NotImplementedError


def delete_evidence_file(stored_name: str) -> None:
    raise NotImplementedError


def check_links_later(evidence_ids: list[int]) -> None:
    raise NotImplementedError
