"""Which fields a place in a scenario or sweep file allows, and what each holds, for a message about a
key it does not allow or a field it lacks.

Why. "not a field this place allows (check the spelling)" leaves a student to guess what the place
does allow; a message should name it, and where the key is a slip of the keyboard, the field
meant. The schema's own models know, so the answer is read from them rather than written twice.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence

from pydantic import BaseModel


def allowed_at(model: type[BaseModel], loc: Sequence[str]) -> list[str] | None:
    """The field names the model allows at ``loc`` (a path of keys and list indices from the top
    of the file), or None where the path does not lead to a model."""
    here: object = model
    for key in loc:
        here = _inside(here, key)
        if here is None:
            return None
    models = _models(here)
    if len(models) != 1:
        return None
    return [field.alias or name for name, field in models[0].model_fields.items()]


def described_at(model: type[BaseModel], loc: Sequence[str]) -> str | None:
    """What the field at ``loc`` holds, as the schema describes it (``summit schema``), or None: a
    field reported missing is named with its meaning, for an author writing a file from the record."""
    here: object = model
    for key in loc[:-1]:
        here = _inside(here, key)
        if here is None:
            return None
    models = _models(here)
    field = models[0].model_fields.get(loc[-1]) if len(models) == 1 and loc else None
    return None if field is None else field.description


def suggestion(key: str, allowed: Sequence[str]) -> str:
    """'; did you mean 'resolve'? ...' or the fields allowed, for a message that ends a sentence."""
    close = closest(key, allowed)
    return f"did you mean '{close}'?" if close else "it allows " + ", ".join(allowed)


def closest(key: str, allowed: Sequence[str]) -> str | None:
    """The one of ``allowed`` that ``key`` most likely misspells, if any is near enough."""
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.75)
    return close[0] if close else None


def _inside(annotation: object, key: str) -> object | None:
    """The annotation one key further down: a model's field, a mapping's value, a list's item."""
    models = _models(annotation)
    if len(models) == 1:
        field = models[0].model_fields.get(key) or next(
            (f for f in models[0].model_fields.values() if f.alias == key), None)
        return None if field is None else field.annotation
    for option in _options(annotation):
        origin = typing.get_origin(option)
        if origin is dict:
            return typing.get_args(option)[1]
        if origin in (list, tuple) and key.isdigit():
            return typing.get_args(option)[0]
    return None


def _options(annotation: object) -> list[object]:
    """The annotation with Optional, unions and Annotated taken apart."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _options(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [o for arg in typing.get_args(annotation) for o in _options(arg)]
    return [annotation]


def _models(annotation: object) -> list[type[BaseModel]]:
    return [o for o in _options(annotation) if isinstance(o, type) and issubclass(o, BaseModel)]
