from __future__ import annotations

import datetime as dt

from ninja import Schema


class ProgramOut(Schema):
    code: str
    name: str
    administration: str
    country: str
    mra_signed: dt.date | None
    mra_signed_text: str
    id_type: str


class IdentifierIn(Schema):
    type: str
    value: str


class LookupIn(Schema):
    identifiers: list[IdentifierIn]


class ForeignStatusOut(Schema):
    type: str
    value: str
    found: bool
    program_code: str | None = None
    program_name: str | None = None
    administration: str | None = None
    country: str | None = None
    company_name: str | None = None
    status: str | None = None
    validation_date: dt.date | None = None
    status_date: dt.date | None = None
    as_of: dt.date | None = None


class LookupOut(Schema):
    results: list[ForeignStatusOut]


class ImportOut(Schema):
    id: int
    program: str
    file_name: str
    file_format: str
    sha256: str
    as_of: dt.date
    imported_at: dt.datetime
    imported_by: str | None
    row_count: int
    created_count: int
    updated_count: int
    unchanged_count: int
    deactivated_count: int
    error_count: int
    errors: list[dict]
    duplicate: bool = False

    @staticmethod
    def resolve_program(obj) -> str:
        return obj.program.code

    @staticmethod
    def resolve_imported_by(obj) -> str | None:
        return obj.imported_by.email if obj.imported_by_id else None


class ImportListOut(Schema):
    items: list[ImportOut]
    count: int
    limit: int
    offset: int


class MemberOut(Schema):
    program: str
    id_type: str
    id_value: str
    name: str
    address: str
    country: str
    status: str
    validation_date: dt.date | None
    status_date: dt.date | None
    as_of: dt.date

    @staticmethod
    def resolve_program(obj) -> str:
        return obj.program.code


class MemberListOut(Schema):
    items: list[MemberOut]
    count: int
    limit: int
    offset: int


class ConsentIn(Schema):
    program: str
    consent: bool
    reason: str = ""


class ConsentOut(Schema):
    program: str
    consented: bool
    consented_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
