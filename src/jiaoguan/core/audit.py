"""The audit log: every change, import, export, full-ID view and sign-in is written here."""

import datetime as dt
import decimal
import functools
import json
from json.encoder import encode_basestring_ascii as _quote

from django.db import models
from django.db.models.fields.files import FieldFile

from jiaoguan.core.idnumbers import mask_id_number, mask_name, mask_phone, mask_registry_no
from jiaoguan.core.middleware import current_ip
from jiaoguan.core.models import AuditAction, AuditEntry


_WRITTEN_AS_TEXT = (dt.date, dt.datetime, dt.time, decimal.Decimal)  # a tuple: `a | b` is built on every call


def _plain(value):
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, _WRITTEN_AS_TEXT):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


PERSONAL_FIELDS = {"id_number": mask_id_number, "phone": mask_phone, "registry_no": mask_registry_no}
SECRET_FIELDS = {"password"}
# The audit log is read by the auditor, who reads who did what to which record, not the person's data:
# a model lists its personal fields in `personal_fields`; their values are kept out of the log.
HIDDEN = "***"


def personal_fields(model) -> frozenset:
    return frozenset(getattr(model, "personal_fields", ()))


def describe(obj: models.Model) -> str:
    """How the log names a record: a person by the family name only (张**)."""
    text = str(obj)
    return mask_name(text) if "name" in personal_fields(type(obj)) else text


def snapshot(obj: models.Model) -> dict:
    """The concrete field values of `obj`, JSON-friendly, secrets left out (compare these)."""
    return {
        field.name: _plain(getattr(obj, field.attname))
        for field in obj._meta.concrete_fields
        if not field.primary_key and field.name not in SECRET_FIELDS
    }


def masked(changes: dict, model=None) -> dict:
    """The changes as the audit log keeps them: ID numbers and phones masked on both sides, the other
    personal fields of `model` left out (the log says they changed, not to what)."""
    hidden = personal_fields(model)
    result = {}
    for name, (before, after) in changes.items():
        mask = PERSONAL_FIELDS.get(name)
        if mask:
            result[name] = [mask(before) if before else before, mask(after) if after else after]
        elif name in hidden:
            result[name] = [HIDDEN if before not in (None, "") else before, HIDDEN if after not in (None, "") else after]
        else:
            result[name] = [before, after]
    return result


def created_changes(obj: models.Model) -> dict:
    """The changes of a new record as the audit log keeps them (every field that has a value, personal
    ones masked or left out): what `masked(diff({}, snapshot(obj)), model)` gives, in one pass."""
    return {name: [None, show(value)] for name, attname, show in _creation_fields(type(obj))
            if (value := getattr(obj, attname)) is not None}


@functools.cache
def _creation_fields(model) -> tuple:
    hidden = personal_fields(model)
    found = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in SECRET_FIELDS:
            continue
        mask = PERSONAL_FIELDS.get(field.name)
        if mask:
            show = (lambda mask: lambda value: mask(value) if value else value)(mask)
        elif field.name in hidden:
            show = lambda value: HIDDEN if value != "" else value  # noqa: E731
        else:
            show = _plain
        found.append((field.name, field.attname, show))
    return tuple(found)


def created_changes_json(obj: models.Model) -> str:
    """`created_changes(obj)` as the JSON text `json.dumps` makes of it, built from pieces prepared once
    per model: an import audits each of a million new records with it."""
    parts = []
    values = obj.__dict__
    for head, attname, kind, show in _creation_json_fields(type(obj)):
        value = values.get(attname) if attname in values else getattr(obj, attname)
        if value is None:
            continue
        if kind == "hidden":  # the most common field of a person's record: its value is not kept
            parts.append(head + ('"***"]' if value != "" else '""]'))
        elif type(value) is str:
            parts.append(head + _quote(show(value) if kind == "masked" else value) + "]")
        elif type(value) is int and kind == "plain":  # a foreign key: two of a student's fields
            parts.append(head + int.__repr__(value) + "]")
        else:
            parts.append(head + _json_value(show(value)) + "]")
    return "{" + ", ".join(parts) + "}"


def _json_value(value) -> str:
    kind = type(value)
    if kind is str:
        return _quote(value)
    if kind is int:
        return int.__repr__(value)
    if kind is bool:
        return "true" if value else "false"
    return json.dumps(value)


@functools.cache
def _creation_json_fields(model) -> tuple:
    assert _quote(HIDDEN) == '"***"'
    found = []
    for name, attname, show in _creation_fields(model):
        kind = "masked" if name in PERSONAL_FIELDS else "hidden" if name in personal_fields(model) else "plain"
        found.append((_quote(name) + ": [null, ", attname, kind, show))
    return tuple(found)


def redacted_query(params) -> str:
    """A list's filters for the log, with searched words (names, numbers) left out."""
    copy = params.copy()
    for key in ("q",):
        if copy.get(key):
            copy[key] = HIDDEN
    return copy.urlencode()


def diff(before: dict, after: dict) -> dict:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def actor_fields(actor) -> tuple[models.Model | None, str]:
    """(the user to link, the name to keep) for an audit entry; the command line has no user."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    return (actor if isinstance(actor, models.Model) else None), actor.get_username()


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict | None = None,
    detail: str = "",
    ip: str | None = None,
) -> AuditEntry:
    model = None
    if obj is not None:
        model = type(obj)
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or describe(obj)
    user, name = actor_fields(actor)
    return AuditEntry.objects.create(
        actor=user,
        actor_name=name,
        ip=ip or current_ip.get(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=masked(changes or {}, model),
        detail=detail[:500],
    )


def record_change(*, actor, obj: models.Model, before: dict | None) -> AuditEntry | None:
    """Audit a create (before is None) or an update; an update that changed nothing is not logged."""
    after = snapshot(obj)
    if before is None:
        return record(actor=actor, action=AuditAction.CREATE, obj=obj, changes=diff({}, after))
    changes = diff(before, after)
    if not changes:
        return None
    return record(actor=actor, action=AuditAction.UPDATE, obj=obj, changes=changes)
