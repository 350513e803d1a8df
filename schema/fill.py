"""Completion functions written per selection of a compiled plan (schema/compiled.py).

A plan's objects are completed field by field: the general loop (`_Run.object`) asks, for
every field of every object, how to get it and what to do with it. A selection of
attributes only (no resolver among them, as in most objects below a root field) always
takes the same steps, so they are written out once, as Python, when the plan is made:
each field read as `source.attribute`, null checked, a leaf kept as it is when it has the
plain class (else serialized), an object or list completed by the plan, and the answer
built as one dict. For a 500-line claim (~12,000 fields) this is a third of the walk.

Nothing a client sends is written into the source: attribute names come from the schema
(and must be identifiers), response keys and types are passed in as constants.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Sequence
from typing import Any

# How a plan's step gets its field (schema/compiled.py `steps`): an attribute of the source
# that is a leaf, an object below which no resolver reads the path, a list of that kind,
# an object or list below which one does; __typename; the field's resolver.
STEP_LEAF, STEP_OBJECT, STEP_NESTED, STEP_NESTED_PATH, STEP_TYPENAME, STEP_RESOLVED = range(6)
MIN_INT, MAX_INT = -(2**31), 2**31 - 1  # GraphQL's Int


def fill_function(
    steps: Sequence[tuple[int, str, Any, Any, bool, Any, Any]],
    helpers: dict[str, Any],
) -> Callable[[Any, Any, Any], dict[str, Any]] | None:
    """fill(run, source, path) -> the selection's answer for `source`; None when a step
    is a resolver (the general loop runs those). `helpers`: GiveUp, Path, leaf(type, value),
    object_value(run, type, value, path), complete(run, type, value, path) and type_cast."""
    source = ["def fill(run, source, path):"]
    constants: dict[str, Any] = dict(helpers)
    values = []
    for n, (how, key, attr, plain, nonnull, type_, field) in enumerate(steps):
        constants[f"K{n}"] = key
        if how == STEP_TYPENAME:
            constants[f"C{n}"] = attr
            values.append(f"K{n}: C{n}")
            continue
        if how == STEP_RESOLVED or not attr.isidentifier() or keyword.iskeyword(attr):
            return None
        constants[f"T{n}"], constants[f"P{n}"] = type_, plain
        null = '            raise GiveUp("null")' if nonnull else "            pass"
        v = f"v{n}"
        source.append(f"    {v} = source.{attr}")
        if how == STEP_LEAF and type_.names is not None:  # an enum: its member's name
            constants[f"E{n}"] = type_.names
            source += [
                f"    if {v} is None:",
                null[4:],
                "    else:",
                f"        e = E{n}.get(id({v}))",
                f"        {v} = e[1] if e is not None and e[0] is {v} else leaf(T{n}, {v})",
            ]
        elif how == STEP_LEAF and type_.int:  # an Int in its range is itself
            source += [
                f"    if {v}.__class__ is not int or not {MIN_INT} <= {v} <= {MAX_INT}:",
                f"        if {v} is None:",
                null,
                "        else:",
                f"            {v} = leaf(T{n}, {v})",
            ]
        elif how == STEP_LEAF:
            source += [
                f"    if {v}.__class__ is not P{n}:",
                f"        if {v} is None:",
                null,
                "        else:",
                f"            {v} = leaf(T{n}, {v})",
            ]
        elif how == STEP_OBJECT and type_.fill is not None and type_.passing is not None:
            # an object of a class its type has accepted before (not cast to another type):
            # its own fill, without object_value's call in between
            constants[f"F{n}"], constants[f"S{n}"] = type_.fill, type_.passing
            source += [
                f"    if {v} is None:",
                null[4:],
                f"    elif {v}.__class__ in S{n} and type_cast({v}) is None:",
                f"        {v} = F{n}(run, {v}, None)",
                "    else:",
                f"        {v} = object_value(run, T{n}, {v}, None)",
            ]
        else:
            if how == STEP_OBJECT:
                completed = f"object_value(run, T{n}, {v}, None)"
            elif how == STEP_NESTED:
                completed = f"complete(run, T{n}, {v}, None)"
            else:
                constants[f"N{n}"] = field.parent.name
                completed = f"complete(run, T{n}, {v}, Path(path, K{n}, N{n}))"
            source += [f"    if {v} is None:", null[4:], "    else:", f"        {v} = {completed}"]
        values.append(f"K{n}: {v}")
    source.append(f"    return {{{', '.join(values)}}}")
    namespace: dict[str, Any] = {}
    # the source is ours: schema identifiers and numbered names, the rest are constants
    exec(compile("\n".join(source), "<schema/fill.py>", "exec"), constants, namespace)
    fill: Callable[[Any, Any, Any], dict[str, Any]] = namespace["fill"]
    return fill
