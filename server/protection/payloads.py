"""The base every payload shares, on both transports: strict models, the op_id's rules, validation errors as acks."""
from __future__ import annotations

from types import UnionType
from typing import Annotated, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationError

OP_ID_RULES = {"min_length": 8, "max_length": 64, "pattern": r"^[A-Za-z0-9_-]+$"}


class Payload(BaseModel):
    """Base of every payload: unknown keys and loose types are refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


RANGE_ERRORS = {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}


def _annotated_metadata(annotation) -> list:
    """Constraints declared inside an annotation (Annotated[...], also within Optional/Union)."""
    found = []
    if get_origin(annotation) is Annotated:
        for extra in get_args(annotation)[1:]:
            found.extend(getattr(extra, "metadata", [extra]))
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, UnionType):
        for member in get_args(annotation):
            found.extend(_annotated_metadata(member))
    return found


def _model_of(annotation) -> type[BaseModel] | None:
    for candidate in (annotation, *get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _item_of(annotation):
    """The element type of list[X] (also inside Optional)."""
    for candidate in (annotation, *get_args(annotation)):
        if get_origin(candidate) is list:
            return get_args(candidate)[0]
    return None


def declared_bounds(model: type[BaseModel], loc: tuple) -> dict:
    """`minimum`/`maximum` declared on the field at `loc` (a path through nested models and lists)."""
    annotation, constraints = model, []
    for part in loc:
        owner = _model_of(annotation)
        if isinstance(part, str) and owner is not None and part in owner.model_fields:
            info = owner.model_fields[part]
            annotation, constraints = info.annotation, list(info.metadata)
        elif isinstance(part, int) and _item_of(annotation) is not None:
            annotation, constraints = _item_of(annotation), []
    bounds: dict = {}
    # Pydantic keeps Field(ge=..., le=...) as constraint objects with a `ge` / `le` attribute.
    for item in constraints + _annotated_metadata(annotation):
        if getattr(item, "ge", None) is not None:
            bounds["minimum"] = item.ge
        if getattr(item, "le", None) is not None:
            bounds["maximum"] = item.le
    return bounds


def validation_error(exc: ValidationError, model: type[BaseModel] | None = None) -> dict:
    """The `error` object of an ack for a payload that failed validation (first problem only).

    A number outside its range is `out_of_range` with the bounds of that field (`minimum`,
    `maximum`: each one the field has), so a client can say which values it takes.
    """
    first = exc.errors(include_url=False)[0]
    field = ".".join(str(part) for part in first["loc"]) or "payload"
    if first["type"] == "string_too_long":
        limit = first.get("ctx", {}).get("max_length")
        return {"code": "too_long", "message": f"{field} is too long", "params": {"field": field, "limit": limit}}
    if first["type"] in RANGE_ERRORS:
        ctx = first.get("ctx", {})
        bounds = {"minimum": ctx["ge"]} if "ge" in ctx else {"maximum": ctx["le"]} if "le" in ctx else {}
        if model is not None:
            bounds.update(declared_bounds(model, tuple(first["loc"])))
        return {"code": "out_of_range", "message": f"{field}: {first['msg']}", "params": {"field": field, **bounds}}
    return {"code": "invalid_payload", "message": f"{field}: {first['msg']}", "params": {"field": field}}
